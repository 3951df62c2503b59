// /dashboard/usage (a URL from before organizations, or a bookmark): the usage page of the organization used last.
import { redirectToOrgPage } from "@/lib/orgs/page-guard";

export default async function LegacyUsagePage(): Promise<never> {
  return redirectToOrgPage("usage");
}
