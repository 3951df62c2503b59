// A failed key action's message; mfa_required links to two-factor enrolment.
import Link from "next/link";
import { Alert } from "@/components/ui/alert";

export function ActionError({ failure }: { failure: { code: string; message: string } | null }) {
  if (!failure) return null;
  return (
    <Alert tone="error">
      {failure.message}
      {failure.code === "mfa_required" ? (
        <>
          {" "}
          <Link href="/dashboard/settings/security" className="font-medium underline">
            Set up two-factor authentication
          </Link>
        </>
      ) : null}
    </Alert>
  );
}
