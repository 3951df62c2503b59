// Administrators' layout: 404 for everyone else, checked on the server.
import { AppShell } from "@/components/shell/app-shell";
import { TimeZoneSync } from "@/components/usage/time-zone-sync";
import { requireAdmin } from "@/lib/auth/session";
import { TIME_ZONE_COOKIE, viewerTimeZone } from "@/lib/usage/viewer-time-zone";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireAdmin();
  return (
    <AppShell email={user.email} isAdmin>
      <TimeZoneSync current={await viewerTimeZone()} cookieName={TIME_ZONE_COOKIE} />
      {children}
    </AppShell>
  );
}
