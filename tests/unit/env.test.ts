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

  it("reads OIDC providers, numbered ones too, and names the variable at fault", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-env-"));
    const base = { NODE_ENV: "development", DATA_DIR: dir } as const;
    expect(parseEnv(base).oidcProviders).toEqual([]);
    const parsed = parseEnv({
      ...base,
      OIDC_ISSUER: "https://login.example.com/realms/acme/",
      OIDC_CLIENT_ID: "keyhold",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_NAME: "Acme SSO",
      OIDC_ISSUER_2: "https://accounts.partner.test",
      OIDC_CLIENT_ID_2: "kh",
      OIDC_CLIENT_SECRET_2: "other",
    });
    expect(parsed.oidcProviders).toEqual([
      {
        id: "oidc",
        issuer: "https://login.example.com/realms/acme",
        clientId: "keyhold",
        clientSecret: "s3cret",
        name: "Acme SSO",
      },
      {
        id: "oidc-2",
        issuer: "https://accounts.partner.test",
        clientId: "kh",
        clientSecret: "other",
        name: "accounts.partner.test",
      },
    ]);
    expect(() => parseEnv({ ...base, OIDC_ISSUER: "https://idp.test", OIDC_CLIENT_ID: "x" })).toThrow(
      /OIDC_CLIENT_SECRET: is required with its OIDC_ISSUER/,
    );
    expect(() => parseEnv({ ...base, OIDC_CLIENT_ID_3: "x", OIDC_CLIENT_SECRET_3: "y" })).toThrow(
      /OIDC_ISSUER_3: is required/,
    );
    expect(() =>
      parseEnv({ ...base, OIDC_ISSUER: "ftp://idp.test", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" }),
    ).toThrow(/OIDC_ISSUER: must be an http\(s\) URL/);
  });

  it("reads AUTH_DISABLE_SIGNUP and SSO_SESSION_MAX_AGE", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-env-"));
    const base = { NODE_ENV: "development", DATA_DIR: dir } as const;
    expect(parseEnv(base)).toMatchObject({ AUTH_DISABLE_SIGNUP: false, SSO_SESSION_MAX_AGE: 28800 });
    expect(parseEnv({ ...base, AUTH_DISABLE_SIGNUP: "true", SSO_SESSION_MAX_AGE: "3600" })).toMatchObject({
      AUTH_DISABLE_SIGNUP: true,
      SSO_SESSION_MAX_AGE: 3600,
    });
    expect(() => parseEnv({ ...base, AUTH_DISABLE_SIGNUP: "yes" })).toThrow(
      /AUTH_DISABLE_SIGNUP: must be true or false/,
    );
    expect(() => parseEnv({ ...base, SSO_SESSION_MAX_AGE: "10" })).toThrow(/SSO_SESSION_MAX_AGE: must be an integer/);
  });
});
