// Signed-in layout: refuses anonymous users on the server, then renders the shell with the user's organizations.
import { AppShell } from "@/components/shell/app-shell";
import { TimeZoneSync } from "@/components/usage/time-zone-sync";
import { requireUser } from "@/lib/auth/session";
import { shellOrganizations } from "@/lib/orgs/organizations";
import { TIME_ZONE_COOKIE, viewerTimeZone } from "@/lib/usage/viewer-time-zone";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireUser();
  return (
    <AppShell email={user.email} isAdmin={user.role === "ADMIN"} {...await shellOrganizations(user)}>
      <TimeZoneSync current={await viewerTimeZone()} cookieName={TIME_ZONE_COOKIE} />
      {children}
    </AppShell>
  );
}
