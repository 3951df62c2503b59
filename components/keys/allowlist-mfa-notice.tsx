// Says up front that IP allowlists need two-factor authentication, with a link to set it up.
import Link from "next/link";
import { Alert } from "@/components/ui/alert";

export function AllowlistMfaNotice() {
  return (
    <Alert tone="warning">
      Editing the IP allowlist requires two-factor authentication on your account.{" "}
      <Link href="/dashboard/settings/security" className="font-medium underline">
        Set it up in Security settings
      </Link>
    </Alert>
  );
}
