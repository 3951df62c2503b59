// /admin/permissions — the platform's permission catalogue: how many active keys hold each, add, describe, delete.
import { AdminSubpage } from "@/components/admin/admin-subpage";
import { Card } from "@/components/ui/card";
import { AddPermissionForm, PermissionsTable } from "@/components/admin/permissions-manager";
import { requireAdmin } from "@/lib/auth/session";
import { listPermissionsWithHolders } from "@/lib/permissions/catalogue";

export const metadata = { title: "Permissions" };

export default async function AdminPermissionsPage() {
  const { user } = await requireAdmin();
  const rows = await listPermissionsWithHolders(user);
  return (
    <AdminSubpage
      title="Permissions"
      description="Your platform's resource:action permissions. Keys hold them; POST /api/v1/verify checks them."
    >
      <PermissionsTable rows={rows.map(({ name, description, keys }) => ({ name, description, keys }))} />
      <Card id="add-permission" title="Add a permission">
        <AddPermissionForm />
      </Card>
    </AdminSubpage>
  );
}
