import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("needs no configuration in development and keeps a generated secret in the data folder", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-env-"));
    const first = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    const second = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.authSecret).toBe(first.authSecret);
    expect(readFileSync(path.join(dir, ".auth-secret"), "utf8").trim()).toBe(first.authSecret);
    expect(first.DATABASE_URL).toBeUndefined();
  });

  it("reads WEBHOOK_ALLOW_PRIVATE_NETWORKS as a boolean, off by default", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-env-"));
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
    expect(
      parseEnv({ NODE_ENV: "development", DATA_DIR: dir, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "" })
        .WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    ).toBe(false);
    expect(
      parseEnv({ NODE_ENV: "development", DATA_DIR: dir, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" })
        .WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    ).toBe(true);
    expect(() => parseEnv({ NODE_ENV: "development", DATA_DIR: dir, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "yes" })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS: must be true or false/,
    );
  });

  it("requires NEXTAUTH_SECRET in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET: is required in production/);
  });

  it("names the variable when a value is invalid", () => {
    expect(() => parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must be a postgresql/,
    );
    expect(() => parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "short" })).toThrow(
      /NEXTAUTH_SECRET: must be at least 32/,
    );
    expect(() => parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40), PORT: "70000" })).toThrow(
      /PORT: must be an integer/,
    );
  });

  it("treats empty strings as unset", () => {
    const parsed = parseEnv({ NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL: "  " });
    expect(parsed.DATABASE_URL).toBeUndefined();
    expect(parsed.PORT).toBe(3000);
  });
});
