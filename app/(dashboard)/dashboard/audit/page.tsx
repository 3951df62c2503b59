// /dashboard/audit (a URL from before organizations, or a bookmark): the audit page of the organization used last.
import { redirectToOrgPage } from "@/lib/orgs/page-guard";

export default async function LegacyAuditPage(): Promise<never> {
  return redirectToOrgPage("audit");
}
