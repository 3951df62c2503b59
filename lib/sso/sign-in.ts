// SSO sign-in: turns a verified OIDC identity (issuer + subject + claims) into a Keyhold account — the linked one, an
// existing account by verified email only, or a new one — and joins it to the organization that approved its domain.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { insertAccount, signUpAllowed } from "../auth/accounts";
import { db } from "../db";
import type { User } from "../generated/prisma/client";
import { approvedDomainFor } from "./domains";

// What the login page says for each refusal (its ?error= code).
export const SSO_REFUSALS = {
  SsoNoEmail: "Your identity provider did not share an email address, so Keyhold cannot sign you in.",
  SsoUnverifiedEmail:
    "Your identity provider has not verified your email address, so it cannot be used to sign in to Keyhold. Ask " +
    "your identity provider's administrator to verify it, or sign in with your password.",
  SsoSignupDisabled:
    "There is no Keyhold account for this email and sign-up is closed. Ask an administrator for an invitation.",
  SsoSuspended: "This account is suspended. Contact your administrator.",
} as const;

export type SsoRefusalCode = keyof typeof SSO_REFUSALS;

// A refused SSO sign-in; `code` goes to the login page.
export class SsoRefusal extends Error {
  constructor(readonly code: SsoRefusalCode) {
    super(SSO_REFUSALS[code]);
  }
}

export type SsoClaims = { sub: string; email?: unknown; email_verified?: unknown; amr?: unknown };

// Whether the identity provider reports a second factor (amr contains mfa, otp or hwk; RFC 8176).
export function idpReportsMfa(amr: unknown): boolean {
  return Array.isArray(amr) && amr.some((v) => v === "mfa" || v === "otp" || v === "hwk");
}

// Some providers send the boolean as a string.
function isVerified(value: unknown): boolean {
  return value === true || value === "true";
}

// The account for an SSO sign-in, created or linked as the rules allow, with its JIT membership; throws SsoRefusal.
export async function signInWithSso(
  provider: { id: string; issuer: string },
  claims: SsoClaims,
  ip: string | null,
): Promise<User> {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const verified = isVerified(claims.email_verified);
  const refuse = async (code: SsoRefusalCode, userId: string | null = null): Promise<never> => {
    await recordAudit({
      userId,
      action: "auth.sso_refused",
      ip,
      metadata: { provider: provider.id, email, reason: code },
    });
    throw new SsoRefusal(code);
  };
  if (!claims.sub) throw new ApiError("invalid_request", "The identity provider sent no subject");
  const identity = await db.ssoIdentity.findUnique({
    where: { issuer_subject: { issuer: provider.issuer, subject: claims.sub } },
    include: { user: true },
  });
  let user: User;
  if (identity) {
    // The identity was linked before (with a verified email): the subject alone identifies the account.
    user = identity.user;
    await db.ssoIdentity.update({
      where: { id: identity.id },
      data: { lastSignInAt: new Date(), ...(email ? { email } : {}) },
    });
  } else {
    if (!email) return refuse("SsoNoEmail");
    const existing = await db.user.findUnique({ where: { email } });
    // An unverified email never links to, or creates, an account: anyone could type someone else's address at an IdP.
    if (!verified) return refuse("SsoUnverifiedEmail", existing?.id ?? null);
    if (existing) {
      user = existing;
    } else {
      const jit = await approvedDomainFor(email);
      if (!jit && !(await signUpAllowed(email))) return refuse("SsoSignupDisabled");
      user = await insertAccount(email, null);
      await recordAudit({
        userId: user.id,
        action: "auth.signup",
        ip,
        metadata: { via: "sso", provider: provider.id },
      });
    }
    await db.ssoIdentity.create({
      data: { userId: user.id, issuer: provider.issuer, subject: claims.sub, email },
    });
    await recordAudit({
      userId: user.id,
      action: "auth.sso_linked",
      ip,
      metadata: { provider: provider.id, issuer: provider.issuer },
    });
  }
  if (user.suspendedAt) return refuse("SsoSuspended", user.id);
  if (email && verified) await joinApprovedDomain(user.id, email, ip);
  await recordAudit({ userId: user.id, action: "auth.signin", ip, metadata: { via: "sso", provider: provider.id } });
  return user;
}

// JIT: a verified email whose domain an organization claimed (approved) joins it with the claim's default role.
async function joinApprovedDomain(userId: string, email: string, ip: string | null): Promise<void> {
  const claim = await approvedDomainFor(email);
  if (!claim) return;
  const where = { organizationId_userId: { organizationId: claim.organizationId, userId } };
  if (await db.membership.findUnique({ where, select: { id: true } })) return;
  await db.$transaction(async (tx) => {
    const created = await tx.membership.createMany({
      data: [{ organizationId: claim.organizationId, userId, role: claim.defaultRole }],
      skipDuplicates: true,
    });
    if (created.count === 0) return;
    await recordAudit(
      {
        organizationId: claim.organizationId,
        userId,
        action: "member.joined",
        ip,
        metadata: { role: claim.defaultRole, via: "sso", domain: claim.domain },
      },
      tx,
    );
  });
}
