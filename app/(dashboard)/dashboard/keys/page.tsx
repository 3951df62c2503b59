// /dashboard/keys — Keys.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Keys" };

export default async function KeysPage() {
  await requireUser("/dashboard/keys");
  return (
    <>
      <PageHeader title="Keys" />
      <NotBuiltYet what="Key generation, rotation and revocation arrive with the API keys feature." />
    </>
  );
}
