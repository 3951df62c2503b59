// The first administrator without a browser (`npm run admin:create`, the image's `admin create`): idempotent, audited.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { insertAccount } from "../auth/accounts";
import { hashPassword } from "../auth/password";
import { db } from "../db";
import { emailSchema, newPasswordSchema } from "../validations/auth";

export type AdministratorOutcome = "created" | "promoted" | "unchanged";

// Makes `email` an instance administrator (role ADMIN): creates the account (with its personal organization) when it
// does not exist, promotes an existing account, leaves an administrator as it is. The password is needed only to create
// the account; an existing account keeps its own. Every change is recorded in the audit log as done by the system.
export async function createAdministrator(input: {
  email: unknown;
  password?: unknown;
}): Promise<{ outcome: AdministratorOutcome; userId: string; email: string }> {
  const parsedEmail = emailSchema.safeParse(input.email);
  if (!parsedEmail.success) throw new ApiError("invalid_request", firstMessage(parsedEmail.error), "email");
  const email = parsedEmail.data;

  const existing = await db.user.findUnique({ where: { email }, select: { id: true, role: true } });
  if (existing) {
    if (existing.role === "ADMIN") return { outcome: "unchanged", userId: existing.id, email };
    // Only a USER row is updated, so two concurrent promotions record one event.
    const { count } = await db.user.updateMany({
      where: { id: existing.id, role: { not: "ADMIN" } },
      data: { role: "ADMIN" },
    });
    if (count === 0) return { outcome: "unchanged", userId: existing.id, email };
    await recordAudit({ userId: existing.id, actorType: "system", action: "admin.administrator_promoted" });
    return { outcome: "promoted", userId: existing.id, email };
  }

  const parsedPassword = newPasswordSchema.safeParse(input.password);
  if (!parsedPassword.success) throw new ApiError("invalid_request", firstMessage(parsedPassword.error), "password");
  const password = parsedPassword.data;
  // The sign-up path (same hashing, personal organization, `auth.signup` event), open even when AUTH_DISABLE_SIGNUP
  // closes the form; made ADMIN and audited in the account's own transaction.
  const user = await insertAccount(email, await hashPassword(password), async (tx, created) => {
    await recordAudit({ userId: created.id, action: "auth.signup", ip: null }, tx);
    if (created.role !== "ADMIN") await tx.user.update({ where: { id: created.id }, data: { role: "ADMIN" } });
    await recordAudit({ userId: created.id, actorType: "system", action: "admin.administrator_created" }, tx);
  });
  return { outcome: "created", userId: user.id, email };
}

function firstMessage(error: { issues: { message: string }[] }): string {
  return error.issues[0]?.message ?? "Invalid value";
}
