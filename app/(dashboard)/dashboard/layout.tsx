// Signed-in layout: refuses anonymous users on the server, then renders the shell.
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requireUser();
  return (
    <AppShell email={user.email} isAdmin={user.role === "ADMIN"}>
      {children}
    </AppShell>
  );
}
