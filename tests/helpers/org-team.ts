// Signed-in members of a team organization, for tests that call organization actions as a given role.
import { generateSync } from "otplib";
import { createAccount } from "@/lib/auth/accounts";
import { db } from "@/lib/db";
import type { OrgRole } from "@/lib/generated/prisma/enums";
import { confirmEnrolment, startEnrolment } from "@/lib/mfa/service";
import { createOrganization } from "@/lib/orgs/organizations";
import { randomBase62 } from "@/lib/random";
import { withSession } from "./next-request";

const PASSWORD = "a long enough password";

// An account (with its personal organization), with MFA enrolled when asked.
export async function createMemberAccount(tag: string, opts: { mfa?: boolean } = {}) {
  const email = `${tag}-${randomBase62(6).toLowerCase()}@example.com`;
  const user = await createAccount({ email, password: PASSWORD, confirmPassword: PASSWORD }, null);
  if (opts.mfa) {
    const { secret } = await startEnrolment(user.id);
    await confirmEnrolment(user.id, generateSync({ secret }));
  }
  return db.user.findUniqueOrThrow({ where: { id: user.id } });
}

// New accounts tagged with their names, MFA enrolled where `mfa` says so; returns their ids by name.
export async function createMemberAccounts<K extends string>(mfa: Record<K, boolean>): Promise<Record<K, string>> {
  const ids = {} as Record<K, string>;
  for (const name of Object.keys(mfa) as K[]) ids[name] = (await createMemberAccount(name, { mfa: mfa[name] })).id;
  return ids;
}

// A team organization owned by `ownerId`, with the other members in their roles.
export async function createTeam(ownerId: string, members: { userId: string; role: OrgRole }[] = [], slug?: string) {
  const org = await db.$transaction((tx) =>
    createOrganization(tx, {
      name: "Acme",
      slug: slug ?? `acme-${randomBase62(6).toLowerCase()}`,
      ownerId,
    }),
  );
  for (const m of members) await db.membership.create({ data: { organizationId: org.id, ...m } });
  return org;
}

// A team organization owned by a new account, with a new account in each role of `roles` (`{ dev: "developer" }`),
// each made by `account` and tagged `${prefix}${name}`; returns the organization, `owner` and the members by name.
export async function seedTeam<K extends string, A extends { id: string }>(
  account: (tag: string) => Promise<A>,
  roles: Record<K, OrgRole>,
  prefix = "",
): Promise<{ org: Awaited<ReturnType<typeof createTeam>>; owner: A } & Record<K, A>> {
  const owner = await account(`${prefix}owner`);
  const members = {} as Record<K, A>;
  for (const name of Object.keys(roles) as K[]) members[name] = await account(`${prefix}${name}`);
  const org = await createTeam(
    owner.id,
    (Object.keys(roles) as K[]).map((name) => ({ userId: members[name].id, role: roles[name] })),
  );
  return { org, owner, ...members };
}

// Puts a session for the user in the request's cookie jar as sign-in issues it: the account's current session version,
// two-factor done when enrolled, and with `stepUp` a step-up at that time (true: now).
export async function signInAs(userId: string, opts: { stepUp?: boolean | number } = {}) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const stepUpAt = opts.stepUp === true ? Date.now() : opts.stepUp || undefined;
  await withSession({
    sub: userId,
    mfa: user.mfaEnabledAt ? "verified" : "none",
    sv: user.sessionVersion,
    ...(stepUpAt ? { stepUpAt } : {}),
  });
}
