// Administrators' layout: 404 for everyone else, checked on the server.
import { AppShell } from "@/components/shell/app-shell";
import { TimeZoneSync } from "@/components/usage/time-zone-sync";
import { requireAdmin } from "@/lib/auth/session";
import { shellOrganizations } from "@/lib/orgs/organizations";
import { TIME_ZONE_COOKIE, viewerTimeZone } from "@/lib/usage/viewer-time-zone";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireAdmin();
  return (
    <AppShell email={user.email} isAdmin {...await shellOrganizations(user)}>
      <TimeZoneSync current={await viewerTimeZone()} cookieName={TIME_ZONE_COOKIE} />
      {children}
    </AppShell>
  );
}
