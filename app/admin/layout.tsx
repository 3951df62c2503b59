// Administrators' layout: 404 for everyone else, checked on the server.
import { AppShell } from "@/components/shell/app-shell";
import { requireAdmin } from "@/lib/auth/session";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireAdmin();
  return (
    <AppShell email={user.email} isAdmin>
      {children}
    </AppShell>
  );
}
