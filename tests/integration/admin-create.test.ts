// `npm run admin:create` / the image's `admin create`: creates, promotes or leaves the instance administrator, audited.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAdministrator } from "@/lib/admin/create-administrator";
import { ApiError } from "@/lib/errors";
import { createAccount } from "@/lib/auth/accounts";
import { verifyPassword } from "@/lib/auth/password";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";
const userOf = (email: string) => db.current.client.user.findUniqueOrThrow({ where: { email } });
const eventsOf = (userId: string) =>
  db.current.client.auditEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("createAdministrator", () => {
  it("creates the account with its personal organization as ADMIN, audited as the system's act", async () => {
    const result = await createAdministrator({ email: "  Root@Example.com ", password });
    expect(result).toMatchObject({ outcome: "created", email: "root@example.com" });
    const user = await userOf("root@example.com");
    expect(user.role).toBe("ADMIN");
    expect(await verifyPassword(user.passwordHash!, password)).toBe(true);
    expect(user.lastOrganizationId).toBeTruthy();
    const events = await eventsOf(user.id);
    expect(events.map((e) => e.action)).toEqual(["auth.signup", "admin.administrator_created"]);
    expect(events[1]).toMatchObject({ actorType: "system" });
  });

  it("is idempotent: an administrator is left as is (password unchanged, nothing audited)", async () => {
    const before = await userOf("root@example.com");
    const result = await createAdministrator({ email: "root@example.com", password: "another long password" });
    expect(result.outcome).toBe("unchanged");
    const after = await userOf("root@example.com");
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(await eventsOf(after.id)).toHaveLength(2);
  });

  it("promotes an existing account without a password and keeps its password", async () => {
    const user = await createAccount({ email: "dev@example.com", password, confirmPassword: password }, null);
    expect(user.role).toBe("USER");
    const result = await createAdministrator({ email: "dev@example.com" });
    expect(result.outcome).toBe("promoted");
    const after = await userOf("dev@example.com");
    expect(after.role).toBe("ADMIN");
    expect(after.passwordHash).toBe(user.passwordHash);
    expect((await eventsOf(user.id)).map((e) => e.action)).toContain("admin.administrator_promoted");
  });

  it("makes a second account ADMIN although it is not the first", async () => {
    expect((await createAdministrator({ email: "second@example.com", password })).outcome).toBe("created");
    expect((await userOf("second@example.com")).role).toBe("ADMIN");
  });

  it("refuses a bad email or a short / missing password for a new account with a 400 naming the field", async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    const badEmail = await refusal(createAdministrator({ email: "not-an-email", password }));
    expect(badEmail).toBeInstanceOf(ApiError);
    expect(badEmail).toMatchObject({ status: 400, field: "email" });
    const short = await refusal(createAdministrator({ email: "new@example.com", password: "short" }));
    expect(short).toMatchObject({ status: 400, field: "password" });
    const missing = await refusal(createAdministrator({ email: "new@example.com" }));
    expect(missing).toMatchObject({ status: 400, field: "password" });
    expect(await db.current.client.user.findUnique({ where: { email: "new@example.com" } })).toBeNull();
  });
});

// The CLI itself against its own embedded database (a fresh DATA_DIR), as `npm run admin:create` runs it.
describe("npm run admin:create", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kh-admin-create-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cliEnv = { ...process.env, DATA_DIR: dir, DATABASE_URL: "", NODE_ENV: "production" as const };

  function run(script: string, args: string[], stdin?: string) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", script, ...args],
        { env: cliEnv, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? "");
    });
  }

  it("creates from stdin, is idempotent from --password-file, and exits non-zero with the reason", async () => {
    expect((await run("scripts/migrate.ts", ["deploy"])).code).toBe(0);

    const created = await run("scripts/admin.ts", ["create", "--email", "ops@example.com"], `${password}\n`);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain("Created ops@example.com as an administrator.");
    expect(created.stdout + created.stderr).not.toContain(password);

    const file = path.join(dir, "password.txt");
    writeFileSync(file, `${password}\n`);
    const again = await run("scripts/admin.ts", ["create", "--email", "ops@example.com", "--password-file", file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already an administrator");

    const noEmail = await run("scripts/admin.ts", ["create"]);
    expect(noEmail.code).toBe(64);
    expect(noEmail.stderr).toContain("--email is required");

    const shortPassword = await run("scripts/admin.ts", ["create", "--email", "x@example.com"], "short\n");
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain("password: Password must be at least 12 characters");
  }, 180_000);
});
