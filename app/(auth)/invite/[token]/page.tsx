// /invite/[token] — an invitation link: signed out, sign in or create an account and come back; signed in as the
// invited email, join; an invalid, expired, used, revoked or wrong-email link, or a suspended organization, says so.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { AcceptInvitationForm } from "@/components/orgs/accept-invitation-form";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { getCurrentUser } from "@/lib/auth/session";
import { getInvitation } from "@/lib/orgs/invitations";
import { ROLE_LABELS } from "@/lib/orgs/roles";

// The token is in the URL: never send it on as a Referer.
export const metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const current = await getCurrentUser();
  const { state, message, invitation } = await getInvitation(token, current?.user ?? null);
  const here = encodeURIComponent(`/invite/${token}`);
  const org = invitation?.organization;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{org ? `Invitation to ${org.name}` : "Invitation"}</h1>
      {state === "ok" && invitation ? (
        <>
          <p className="text-sm text-slate-700">
            You are invited to join <strong>{invitation.organization.name}</strong> as{" "}
            <strong>{ROLE_LABELS[invitation.role].toLowerCase()}</strong>.
          </p>
          <AcceptInvitationForm token={token} organization={invitation.organization.name} />
        </>
      ) : state === "sign_in" ? (
        <>
          <p className="text-sm text-slate-700">{message}</p>
          <div className="flex flex-col gap-2">
            <Link href={`/login?next=${here}`} className={buttonClass()}>
              Sign in
            </Link>
            <Link href={`/signup?next=${here}`} className={buttonClass("secondary")}>
              Create account
            </Link>
          </div>
        </>
      ) : state === "already_member" && org ? (
        <>
          <Alert tone="info">{message}</Alert>
          <Link href={`/dashboard/${org.slug}`} className={buttonClass()}>
            Open {org.name}
          </Link>
        </>
      ) : state === "wrong_email" ? (
        <>
          <Alert tone="error">{message}</Alert>
          <SignOutButton className={buttonClass("secondary", "w-full")}>Sign out</SignOutButton>
        </>
      ) : (
        <>
          <Alert tone="error">{message}</Alert>
          <Link href={current ? "/dashboard" : "/"} className="text-center text-sm text-brand-600 underline">
            {current ? "Go to your dashboard" : "Go to Keyhold"}
          </Link>
        </>
      )}
    </div>
  );
}
