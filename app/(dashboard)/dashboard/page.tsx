// /dashboard — opens the organization used last (or the first one); with none, the page to create one.
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { defaultOrganizationSlug } from "@/lib/orgs/organizations";

export default async function DashboardIndex() {
  const { user } = await requireUser();
  const slug = await defaultOrganizationSlug(user);
  redirect(slug ? `/dashboard/${slug}` : "/dashboard/new");
}
