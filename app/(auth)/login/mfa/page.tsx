// /login/mfa — the second sign-in step for accounts with two-factor authentication.
import { redirect } from "next/navigation";
import { MfaChallengeForm } from "@/components/mfa/mfa-challenge-form";
import { safeNextPath } from "@/lib/auth/redirects";
import { getSessionToken } from "@/lib/auth/session";
import { sessionUser } from "@/lib/auth/session-version";

export const metadata = { title: "Two-factor authentication" };

export default async function MfaChallengePage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : undefined);
  const token = await getSessionToken();
  if (!token?.sub || !(await sessionUser(token))) redirect(`/login?next=${encodeURIComponent(next)}`);
  if (token.mfa !== "pending") redirect(next);
  return <MfaChallengeForm next={next} />;
}
