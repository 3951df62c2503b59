// Signed-in layout: refuses anonymous users on the server, then renders the shell.
import { AppShell } from "@/components/shell/app-shell";
import { TimeZoneSync } from "@/components/usage/time-zone-sync";
import { requireUser } from "@/lib/auth/session";
import { TIME_ZONE_COOKIE, viewerTimeZone } from "@/lib/usage/viewer-time-zone";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireUser();
  return (
    <AppShell email={user.email} isAdmin={user.role === "ADMIN"}>
      <TimeZoneSync current={await viewerTimeZone()} cookieName={TIME_ZONE_COOKIE} />
      {children}
    </AppShell>
  );
}
