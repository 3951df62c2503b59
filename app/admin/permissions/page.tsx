// /admin/permissions — the platform's permission catalogue: how many active keys hold each, add, describe, delete.
import { BackLink } from "@/components/ui/back-link";
import { AddPermissionForm, PermissionsTable } from "@/components/admin/permissions-manager";
import { PageHeader } from "@/components/shell/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listPermissionsWithHolders } from "@/lib/permissions/catalogue";

export const metadata = { title: "Permissions" };

export default async function AdminPermissionsPage() {
  const { user } = await requireAdmin();
  const rows = await listPermissionsWithHolders(user);
  return (
    <>
      <BackLink href="/admin">Admin</BackLink>
      <PageHeader
        title="Permissions"
        description="Your platform's resource:action permissions. Keys hold them; POST /api/v1/verify checks them."
      />
      <div className="space-y-6">
        <PermissionsTable rows={rows.map(({ name, description, keys }) => ({ name, description, keys }))} />
        <section aria-labelledby="add-permission-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="add-permission-heading" className="mb-3 font-semibold">
            Add a permission
          </h2>
          <AddPermissionForm />
        </section>
      </div>
    </>
  );
}
