import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { authenticate, createAccount, SIGNIN_MAX_FAILURES } from "@/lib/auth/accounts";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";

describe("accounts", () => {
  it("makes the first account ADMIN and later ones USER, each owning a personal organization with a client ID", async () => {
    const first = await createAccount({ email: "first@example.com", password, confirmPassword: password }, "127.0.0.1");
    const second = await createAccount({ email: "second@example.com", password, confirmPassword: password }, null);
    expect(first.role).toBe("ADMIN");
    expect(second.role).toBe("USER");
    for (const [user, slug] of [
      [first, "first"],
      [second, "second"],
    ] as const) {
      const memberships = await db.current.client.membership.findMany({
        where: { userId: user.id },
        include: { organization: true },
      });
      expect(memberships.map((m) => [m.role, m.organization.personal, m.organization.slug])).toEqual([
        ["owner", true, slug],
      ]);
      const org = memberships[0].organization;
      expect(org.plan).toBe("FREE");
      expect(org.clientId).toMatch(/^kh_client_[0-9A-Za-z]{24}$/);
      // /dashboard opens it.
      expect(user.lastOrganizationId).toBe(org.id);
    }
    expect(first.passwordHash).not.toContain(password);
    const audit = await db.current.client.auditEvent.findMany({ where: { userId: first.id } });
    expect(audit.map((a) => a.action)).toEqual(["auth.signup"]);
  });

  it("refuses an email that is already registered, whatever its case, and creates nothing", async () => {
    const before = await db.current.client.user.count();
    await expect(
      createAccount({ email: "FIRST@example.com", password, confirmPassword: password }, null),
    ).rejects.toMatchObject({
      reason: "email_taken",
      field: "email",
    });
    expect(await db.current.client.user.count()).toBe(before);
  });

  it("signs in with the right password and says only 'invalid email or password' otherwise", async () => {
    const user = await authenticate("First@Example.com", password, "10.0.0.1");
    expect(user.email).toBe("first@example.com");
    await expect(authenticate("first@example.com", "wrong password!!", null)).rejects.toThrow(
      "Invalid email or password",
    );
    await expect(authenticate("nobody@example.com", password, null)).rejects.toThrow("Invalid email or password");
    const failed = await db.current.client.auditEvent.findMany({ where: { action: "auth.signin_failed" } });
    expect(failed.length).toBe(2);
  });

  it("locks an email for 15 minutes after 10 failures, even for the right password", async () => {
    await createAccount({ email: "victim@example.com", password, confirmPassword: password }, null);
    for (let i = 0; i < SIGNIN_MAX_FAILURES; i++) {
      await expect(authenticate("victim@example.com", `wrong-${i}-password`, null)).rejects.toMatchObject({
        reason: "invalid_credentials",
      });
    }
    const locked = authenticate("victim@example.com", password, null);
    await expect(locked).rejects.toBeInstanceOf(ApiError);
    await expect(authenticate("victim@example.com", password, null)).rejects.toThrow(
      /Too many failed sign-ins for this email\. Try again in 15 minutes/,
    );
    // Another email is unaffected.
    await expect(authenticate("second@example.com", password, null)).resolves.toMatchObject({
      email: "second@example.com",
    });
  });

  it("lets the email in again once the failures are older than 15 minutes", async () => {
    const old = new Date(Date.now() - 16 * 60 * 1000);
    await db.current.client.signInFailure.updateMany({
      where: { email: "victim@example.com" },
      data: { createdAt: old },
    });
    await expect(authenticate("victim@example.com", password, null)).resolves.toMatchObject({
      email: "victim@example.com",
    });
  });
});
