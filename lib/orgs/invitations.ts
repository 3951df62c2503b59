// Invitations: an admin invites an email with a role; the link carries a 32-byte token stored only as its SHA-256,
// works for 7 days, once, and only for that email (case-insensitive). Mailed when SMTP_URL is set. Accepting claims the
// invitation with one conditional update, so two concurrent accepts make one membership. Sending is throttled per
// organization and, when invitations are mailed, per address across organizations, by counting invitations inside the
// inviting transaction under advisory locks (exact across processes). A suspended organization takes no one in.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import { env } from "../env";
import type { Invitation, Prisma } from "../generated/prisma/client";
import { hashLinkToken, newLinkToken, publicUrl } from "../link-tokens";
import { mailEnabled, mailName, sendMail } from "../mail";
import { asMember } from "./members";
import type { OrgMember } from "./organizations";
import { can, ROLE_LABELS, type OrgRole } from "./roles";
import { advisoryLock } from "../advisory-locks";
import { recordChange } from "../record-change";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

type Meta = { ip: string | null };

export type PendingInvitation = { id: string; email: string; role: OrgRole; expiresAt: Date; createdAt: Date };

// Why an invitation link cannot be used by this user (or "ok", or "sign_in" when nobody is signed in).
export type InvitationState =
  "ok" | "sign_in" | "invalid" | "revoked" | "used" | "expired" | "suspended" | "wrong_email" | "already_member";

type InvitationWithOrg = Invitation & {
  organization: { id: string; slug: string; name: string; suspendedAt: Date | null };
};
type Invitee = { id: string; email: string };
type Tx = Prisma.TransactionClient;

// "37 minutes", "5 hours": how long until a throttled sender may try again (rounded up).
function waitFor(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `${Math.ceil(minutes / 60)} hours`;
}

// Refuses (rate_limited) when `limit` invitations matching `where` were created in the `windowMs` before `now`; the
// message names the limit and when the oldest of them leaves the window.
async function throttle(
  tx: Tx,
  where: Prisma.InvitationWhereInput,
  rule: { limit: number; windowMs: number; now: Date },
  refusal: (wait: string) => ApiError,
): Promise<void> {
  const inWindow = { ...where, createdAt: { gt: new Date(rule.now.getTime() - rule.windowMs) } };
  const sent = await tx.invitation.count({ where: inWindow });
  if (sent < rule.limit) return;
  const freed = await tx.invitation.findFirst({
    where: inWindow,
    orderBy: { createdAt: "asc" },
    skip: sent - rule.limit,
    select: { createdAt: true },
  });
  throw refusal(waitFor((freed?.createdAt.getTime() ?? rule.now.getTime()) + rule.windowMs - rule.now.getTime()));
}

// The invitation limits: per organization per hour always; per address per day (across organizations) when the
// invitation is mailed, since that is what lands in someone else's inbox. Runs under the organization's member lock;
// takes the address's lock so concurrent invitations from different organizations count one after another.
async function checkInvitationLimits(tx: Tx, organizationId: string, email: string, now: Date): Promise<void> {
  const perOrganization = env().INVITATIONS_PER_ORGANIZATION_PER_HOUR;
  await throttle(
    tx,
    { organizationId },
    { limit: perOrganization, windowMs: HOUR_MS, now },
    (wait) =>
      new ApiError(
        "rate_limited",
        `This organization has sent ${perOrganization} invitations in the last hour, the most allowed: try again in ${wait}.`,
        undefined,
        "invitations_per_organization",
      ),
  );
  if (!mailEnabled()) return;
  const perAddress = env().INVITATION_MAILS_PER_ADDRESS_PER_DAY;
  await advisoryLock(tx, "invitationMails", email);
  await throttle(
    tx,
    { email },
    { limit: perAddress, windowMs: DAY_MS, now },
    (wait) =>
      new ApiError(
        "rate_limited",
        `${email} has been sent ${perAddress} invitations in the last 24 hours, the most one address may receive: try again in ${wait}.`,
        "email",
        "invitations_per_address",
      ),
  );
}

// The page a token opens, on the dashboard's public URL.
export function invitationUrl(token: string): string {
  return publicUrl(`/invite/${token}`);
}

function toPending(i: Invitation): PendingInvitation {
  return { id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt, createdAt: i.createdAt };
}

// Invites `email` with `role` (admins and owners; the owner role only by owners). An earlier pending invitation of the
// same email is replaced. Returns the link, to be shown once; mails it when SMTP is configured.
export async function createInvitation(
  actor: OrgMember,
  input: { email: string; role: OrgRole },
  meta: Meta,
  now = new Date(),
): Promise<{ invitation: PendingInvitation; url: string; mailed: boolean }> {
  const organizationId = actor.organization.id;
  const email = input.email.toLowerCase();
  const token = newLinkToken();
  const invitation = await asMember(
    actor,
    "invitations.manage",
    "Only admins and owners can invite members.",
    async (tx, myRole) => {
      if (input.role === "owner" && !can({ role: myRole, userId: null }, "owners.manage"))
        throw new ApiError("forbidden", "Only owners can invite owners.", "role");
      const member = await tx.membership.findFirst({
        where: { organizationId, user: { email } },
        select: { id: true },
      });
      if (member) throw new ApiError("conflict", `${email} is already a member of this organization.`, "email");
      await checkInvitationLimits(tx, organizationId, email, now);
      const replaced = await tx.invitation.updateMany({
        where: { organizationId, email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
      const created = await tx.invitation.create({
        data: {
          organizationId,
          email,
          role: input.role,
          tokenHash: hashLinkToken(token),
          invitedById: actor.userId,
          expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
          createdAt: now,
        },
      });
      await recordChange(tx, {
        audit: {
          organizationId,
          userId: null,
          actorId: actor.userId,
          action: "member.invited",
          ip: meta.ip,
          metadata: { invitationId: created.id, email, role: input.role, replaced: replaced.count },
        },
        event: {
          type: "member.invited",
          data: {
            invitation: {
              id: created.id,
              email,
              role: input.role,
              invitedById: actor.userId,
              expiresAt: created.expiresAt.toISOString(),
            },
          },
        },
      });
      return created;
    },
  );
  const url = invitationUrl(token);
  const mailed = mailEnabled();
  if (mailed) {
    const org = mailName(actor.organization.name);
    sendMail({
      to: email,
      subject: `You are invited to join ${org} on Keyhold`,
      text: `You have been invited to join ${org} on Keyhold as ${ROLE_LABELS[input.role].toLowerCase()}.\n\nOpen this link within 7 days to accept (sign in or create an account with this email address first):\n${url}\n\nIf you did not expect this invitation, ignore this mail.\n`,
    });
  }
  return { invitation: toPending(invitation), url, mailed };
}

// The organization's invitations still waiting to be accepted, newest first.
export async function listPendingInvitations(organizationId: string, now = new Date()): Promise<PendingInvitation[]> {
  const rows = await db.invitation.findMany({
    where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toPending);
}

// Revokes a pending invitation (admins and owners): its link stops working.
export async function revokeInvitation(actor: OrgMember, id: string, meta: Meta, now = new Date()): Promise<void> {
  const organizationId = actor.organization.id;
  await asMember(actor, "invitations.manage", "Only admins and owners can revoke invitations.", async (tx) => {
    const invitation = await tx.invitation.findFirst({ where: { id, organizationId } });
    if (!invitation) throw new ApiError("not_found", "No such invitation in this organization", "id");
    const revoked = await tx.invitation.updateMany({
      where: { id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (revoked.count !== 1)
      throw new ApiError("conflict", "This invitation was already accepted or revoked.", undefined, "not_pending");
    await recordAudit(
      {
        organizationId,
        userId: null,
        actorId: actor.userId,
        action: "member.invitation_revoked",
        ip: meta.ip,
        metadata: { invitationId: id, email: invitation.email, role: invitation.role },
      },
      tx,
    );
  });
}

// The state of an invitation for this visitor (null: signed out), checked in the order the page explains them.
function stateOf(
  invitation: InvitationWithOrg | null,
  user: Invitee | null,
  isMember: boolean,
  now: Date,
): InvitationState {
  if (!invitation) return "invalid";
  if (invitation.revokedAt) return "revoked";
  if (invitation.acceptedAt) return user && invitation.acceptedById === user.id ? "already_member" : "used";
  if (invitation.expiresAt <= now) return "expired";
  // Refused but not consumed: the link works again once the organization is restored (until it expires).
  if (invitation.organization.suspendedAt) return "suspended";
  if (!user) return "sign_in";
  if (invitation.email !== user.email.toLowerCase()) return "wrong_email";
  return isMember ? "already_member" : "ok";
}

// What the page and the refusal say for each state.
export function invitationMessage(
  state: InvitationState,
  invitation: { email: string; organization: { name: string } } | null,
  user: Invitee | null,
): string {
  const org = invitation?.organization.name ?? "the organization";
  switch (state) {
    case "ok":
      return `Join ${org}.`;
    case "sign_in":
      return `This invitation is for ${invitation?.email}. Sign in with that address, or create an account with it, to join ${org}.`;
    case "invalid":
      return "This invitation link is not valid: check that you copied all of it, or ask for a new invitation.";
    case "revoked":
      return `This invitation to ${org} has been revoked. Ask an administrator of ${org} for a new one.`;
    case "used":
      return `This invitation to ${org} has already been used: each invitation link works once.`;
    case "expired":
      return `This invitation to ${org} has expired (links work for 7 days). Ask an administrator of ${org} for a new one.`;
    case "suspended":
      return `${org} is suspended, so nobody can join it now. This invitation stays valid: open the link again once the instance administrator restores ${org} (it expires 7 days after it was sent).`;
    case "wrong_email":
      return `This invitation is for ${invitation?.email}, but you are signed in as ${user?.email}. Sign out and sign in with ${invitation?.email} to join.`;
    case "already_member":
      return `You are already a member of ${org}.`;
  }
}

const REFUSALS: Record<
  Exclude<InvitationState, "ok" | "sign_in">,
  "not_found" | "conflict" | "forbidden" | "account_suspended"
> = {
  invalid: "not_found",
  revoked: "conflict",
  used: "conflict",
  expired: "conflict",
  suspended: "account_suspended",
  wrong_email: "forbidden",
  already_member: "conflict",
};

function findByToken(token: string) {
  return db.invitation.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    include: { organization: { select: { id: true, slug: true, name: true, suspendedAt: true } } },
  });
}

async function isMemberOf(organizationId: string, userId: string): Promise<boolean> {
  const row = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { id: true },
  });
  return row !== null;
}

// What the invitation page shows for a token and the signed-in user (null when signed out).
export async function getInvitation(token: string, user: Invitee | null, now = new Date()) {
  const invitation = await findByToken(token);
  const isMember = !!(invitation && user && (await isMemberOf(invitation.organizationId, user.id)));
  const state = stateOf(invitation, user, isMember, now);
  return {
    state,
    message: invitationMessage(state, invitation, user),
    invitation: invitation
      ? {
          email: invitation.email,
          role: invitation.role,
          organization: {
            id: invitation.organization.id,
            slug: invitation.organization.slug,
            name: invitation.organization.name,
          },
        }
      : null,
  };
}

function refusal(state: InvitationState, invitation: InvitationWithOrg | null, user: Invitee): ApiError {
  const code = state === "ok" || state === "sign_in" ? "conflict" : REFUSALS[state];
  return new ApiError(code, invitationMessage(state, invitation, user), undefined, state);
}

// The signed-in user accepts an invitation: claims it (once, atomically, and only while the organization is not
// suspended), becomes a member with its role; audited.
export async function acceptInvitation(
  user: Invitee,
  token: string,
  meta: Meta,
  now = new Date(),
): Promise<{ slug: string }> {
  const invitation = await findByToken(token);
  const state = stateOf(invitation, user, !!invitation && (await isMemberOf(invitation.organizationId, user.id)), now);
  if (state !== "ok" || !invitation) throw refusal(state, invitation, user);
  return db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: {
        id: invitation.id,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: now },
        organization: { suspendedAt: null },
      },
      data: { acceptedAt: now, acceptedById: user.id },
    });
    if (claimed.count !== 1) {
      // Claimed, revoked, replaced or the organization suspended meanwhile: say which, as the page would.
      const latest = await tx.invitation.findUnique({
        where: { id: invitation.id },
        include: { organization: { select: { id: true, slug: true, name: true, suspendedAt: true } } },
      });
      const latestState = stateOf(latest, user, false, now);
      throw refusal(latestState === "ok" ? "used" : latestState, invitation, user);
    }
    const existing = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: invitation.organizationId, userId: user.id } },
      select: { id: true },
    });
    if (existing) throw refusal("already_member", invitation, user);
    await tx.membership.create({
      data: { organizationId: invitation.organizationId, userId: user.id, role: invitation.role },
    });
    // The organization joined is the one used last from now on: written here, before the redirect renders the shell.
    await tx.user.update({ where: { id: user.id }, data: { lastOrganizationId: invitation.organizationId } });
    await recordChange(tx, {
      audit: {
        organizationId: invitation.organizationId,
        userId: user.id,
        action: "member.joined",
        ip: meta.ip,
        metadata: { invitationId: invitation.id, role: invitation.role, invitedById: invitation.invitedById },
      },
      event: {
        type: "member.joined",
        data: { member: { userId: user.id, email: user.email, role: invitation.role }, invitationId: invitation.id },
      },
    });
    return { slug: invitation.organization.slug };
  });
}
