// /admin/routes — the forward-authentication route table: what /api/v1/authorize requires of each method and path,
// most specific first, edited as its JSON document, with a tester naming the route a request meets.
import { BackLink } from "@/components/ui/back-link";
import { RouteTableEditor, RouteTester } from "@/components/admin/routes-manager";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { requireAdmin } from "@/lib/auth/session";
import { getRouteTable, routeTableBySpecificity } from "@/lib/routes/table";

export const metadata = { title: "Routes" };

export default async function AdminRoutesPage() {
  const { user } = await requireAdmin();
  const [ordered, written] = await Promise.all([routeTableBySpecificity(user), getRouteTable()]);
  return (
    <>
      <BackLink href="/admin">Admin</BackLink>
      <PageHeader
        title="Routes"
        description="What your proxy's forward authentication (/api/v1/authorize) requires of each request. The most specific pattern wins: a literal segment beats :param, which beats *."
      />
      <div className="space-y-6">
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
        <section aria-labelledby="test-route-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="test-route-heading" className="mb-3 font-semibold">
            Which route matches?
          </h2>
          <RouteTester />
        </section>
        <section aria-labelledby="edit-routes-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="edit-routes-heading" className="mb-3 font-semibold">
            Edit the table
          </h2>
          <RouteTableEditor document={JSON.stringify(written, null, 2)} />
        </section>
      </div>
    </>
  );
}
