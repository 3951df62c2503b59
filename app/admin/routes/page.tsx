// /admin/routes — the forward-authentication route table: what /api/v1/authorize requires of each method and path,
// most specific first, edited as its JSON document, with a tester naming the route a request meets.
import { AdminSubpage } from "@/components/admin/admin-subpage";
import { Card } from "@/components/ui/card";
import { RouteTableEditor, RouteTester } from "@/components/admin/routes-manager";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { getRouteTable, routeTableBySpecificity } from "@/lib/routes/table";

export const metadata = { title: "Routes" };

export default async function AdminRoutesPage() {
  const { user } = await requireAdmin();
  const [ordered, written] = await Promise.all([routeTableBySpecificity(user), getRouteTable()]);
  return (
    <AdminSubpage
      title="Routes"
      description="What your proxy's forward authentication (/api/v1/authorize) requires of each request. The most specific pattern wins: a literal segment beats :param, which beats *."
    >
      {ordered.routes.length === 0 ? (
        <EmptyTable
          title="No routes yet"
          hint={`Every request meets the default (${ordered.default}). Add routes below, or PUT /api/v1/routes.`}
        />
      ) : (
        <Table
          caption={`Routes, most specific first (a request meets the first that matches; otherwise: ${ordered.default})`}
        >
          <THeadLabels labels={["Method", "Path", "Needs", "Cost"]} />
          <TBody>
            {ordered.routes.map((r) => (
              <tr key={`${r.method} ${r.path}`}>
                <TD className="font-mono text-xs">{r.method}</TD>
                <TD className="font-mono text-xs">{r.path}</TD>
                <TD>
                  {r.public
                    ? "Public (no key)"
                    : [r.scope ? `scope ${r.scope}` : "any valid key", ...(r.permissions ?? [])].join(", ")}
                </TD>
                <TD>{r.public ? "—" : (r.cost ?? 1)}</TD>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <Card id="test-route" title="Which route matches?">
        <RouteTester />
      </Card>
      <Card id="edit-routes" title="Edit the table">
        <RouteTableEditor document={JSON.stringify(written, null, 2)} />
      </Card>
    </AdminSubpage>
  );
}
