// docs/configuration.md documents every environment variable lib/env.ts reads (npm test).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

// The variables parseEnv reads, seen through a proxy over a minimal environment (with one identity provider, so the
// OIDC_* variables are read too).
function variablesRead(): string[] {
  const read = new Set<string>();
  const base: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "kh-docs-env-")),
    OIDC_ISSUER: "https://idp.example.com",
  };
  const source = new Proxy(base, {
    get(target, name) {
      if (typeof name === "string" && /^[A-Z][A-Z0-9_]*$/.test(name)) read.add(name);
      return target[name as string];
    },
  });
  try {
    parseEnv(source);
  } catch {
    // the identity provider lacks its client: every variable was read before that was found
  }
  return [...read].sort();
}

// The variables missing from a configuration page: each must appear in code, as `NAME`.
function undocumented(variables: string[], markdown: string): string[] {
  return variables.filter((name) => !markdown.includes("`" + name + "`"));
}

describe("docs/configuration.md", () => {
  it("sees the variables lib/env.ts reads, and a page missing one fails", () => {
    const variables = variablesRead();
    expect(variables).toEqual(expect.arrayContaining(["DATABASE_URL", "NEXTAUTH_SECRET", "OIDC_CLIENT_SECRET"]));
    expect(variables.length).toBeGreaterThan(30);
    expect(undocumented(["DATABASE_URL", "REDIS_URL"], "| `DATABASE_URL` | … |")).toEqual(["REDIS_URL"]);
  });

  it("documents every variable lib/env.ts reads", () => {
    const page = readFileSync(path.join(process.cwd(), "docs/configuration.md"), "utf8");
    expect(undocumented(variablesRead(), page)).toEqual([]);
  });
});
