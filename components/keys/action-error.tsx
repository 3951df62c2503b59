// A failed action's message, announced when it appears (role="alert", an assertive live region); mfa_required links to
// two-factor enrolment, approval_required to "Request a key" when `requestHref` is given. Place it where the user
// acts: beside the submit button.
import Link from "next/link";
import { alertClass } from "@/components/ui/alert";

export function ActionError({
  failure,
  requestHref,
}: {
  failure: { code: string; message: string; reason?: string } | null;
  requestHref?: string;
}) {
  if (!failure) return null;
  return (
    <div role="alert" aria-live="assertive" className={`my-2 ${alertClass("error")}`}>
      {failure.message}
      {failure.code === "mfa_required" ? (
        <>
          {" "}
          <Link href="/dashboard/settings/security" className="font-medium underline">
            Set up two-factor authentication
          </Link>
        </>
      ) : null}
      {failure.reason === "approval_required" && requestHref ? (
        <>
          {" "}
          <Link href={requestHref} className="font-medium underline">
            Request a key
          </Link>
        </>
      ) : null}
    </div>
  );
}
