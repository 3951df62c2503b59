// /dashboard/keys (a URL from before organizations, or a bookmark): the keys page of the organization used last.
import { redirectToOrgPage } from "@/lib/orgs/page-guard";

export default async function LegacyKeysPage(): Promise<never> {
  return redirectToOrgPage("keys");
}
