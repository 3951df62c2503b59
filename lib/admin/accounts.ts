// Administration of accounts: the accounts table, suspension and restoration (audited, re-checking the actor is ADMIN);
// plans and organization suspension are in ./organizations.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import { setSuspendedSchema } from "../validations/admin";

export type Actor = { id: string; role: string };

// Throws ApiError forbidden unless the actor is an administrator (every lib/admin function starts with it).
export function assertAdmin(actor: Actor): void {
  if (actor.role !== "ADMIN") throw new ApiError("forbidden", "Only administrators can do this");
}

export interface AccountRow {
  id: string;
  email: string;
  role: string;
  organizations: number;
  mfaEnabled: boolean;
  createdAt: Date;
  suspendedAt: Date | null;
}

// Every account, newest first, with the number of organizations it belongs to.
export async function listAccounts(actor: Actor): Promise<AccountRow[]> {
  assertAdmin(actor);
  const users = await db.user.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      email: true,
      role: true,
      createdAt: true,
      suspendedAt: true,
      mfaEnabledAt: true,
      _count: { select: { memberships: true } },
    },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    role: u.role,
    organizations: u._count.memberships,
    mfaEnabled: u.mfaEnabledAt !== null,
    createdAt: u.createdAt,
    suspendedAt: u.suspendedAt,
  }));
}

// Suspends (sign-in refused, sessions ended at once) or restores an account; an administrator cannot suspend
// themselves. Its organizations' keys are not affected: suspend the organization for that.
export async function setAccountSuspended(
  actor: Actor,
  input: { userId: string; suspended: boolean },
  ip: string | null,
  now = new Date(),
) {
  assertAdmin(actor);
  const { userId, suspended } = setSuspendedSchema.parse(input);
  if (suspended && userId === actor.id) throw new ApiError("invalid_request", "You cannot suspend your own account");
  const user = await db.user.findUnique({ where: { id: userId }, select: { suspendedAt: true } });
  if (!user) throw new ApiError("not_found", "No such account");
  if ((user.suspendedAt !== null) === suspended) return user.suspendedAt;
  const suspendedAt = suspended ? now : null;
  // Suspension also ends the account's sessions (sessionVersion), so restoring it later does not revive them.
  await db.user.update({
    where: { id: userId },
    data: { suspendedAt, ...(suspended ? { sessionVersion: { increment: 1 } } : {}) },
  });
  await recordAudit({
    userId,
    actorId: actor.id,
    action: suspended ? "admin.account_suspended" : "admin.account_restored",
    ip,
  });
  return suspendedAt;
}
