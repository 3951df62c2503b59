// The forward-authentication route table (one per instance): read and replaced as a whole (PUT /api/v1/routes with the
// service token, or /admin/routes), audited as an instance-level event, and cached compiled in every process. A
// replacement drops the cache here at once and in every other instance through the key-invalidation channel
// (LISTEN/NOTIFY on PostgreSQL); the cache also expires after KEY_CACHE_TTL_MS, bounding staleness if a notice is lost.
import { ApiError } from "../errors";
import { assertAdmin, type Actor } from "../admin/accounts";
import { recordAudit } from "../audit";
import { db } from "../db";
import { env } from "../env";
import type { Scope } from "../generated/prisma/enums";
import { ensureKeyInvalidationListener, onTopicInvalidation, publishTopicInvalidation } from "../keys/invalidation";
import { unknownPermissions } from "../permissions/catalogue";
import { processSingleton } from "../singleton";
import { routeTableSchema, type RouteTableDocument, type RouteTableInput } from "../validations/routes";
import { compileRoutes, pathSegments, type RouteMatcher, type RouteMethod } from "./match";

export const ROUTES_TOPIC = "table:routes";

// A route as the API shows it: optional fields only when set.
export type RouteView = {
  method: RouteMethod;
  path: string;
  scope?: Scope;
  permissions?: string[];
  cost?: number;
  public?: boolean;
};
export type RouteTable = { default: "deny" | "allow"; routes: RouteView[] };

// What a matched route requires of the key (public: nothing, no key at all).
export type RouteRequirements = { scope?: Scope; permissions?: string[]; cost: number; public: boolean };

export type CompiledRouteTable = {
  table: RouteTable;
  defaultAction: "deny" | "allow";
  matcher: RouteMatcher<RouteView>;
};

// Who replaces the table: an instance administrator, or "service" (the service token; audited with no actor).
export type RouteTableActor = Actor | "service";

type Cache = { entry?: { value: Promise<CompiledRouteTable>; until: number }; generation: number };

const cache = processSingleton<Cache>("route-table-cache", () => ({ generation: 0 }));

function forgetRouteTable(): void {
  cache.generation++;
  cache.entry = undefined;
}

onTopicInvalidation(ROUTES_TOPIC, forgetRouteTable);

function toView(row: {
  method: string;
  path: string;
  scope: Scope | null;
  permissions: string[];
  cost: number | null;
  public: boolean;
}): RouteView {
  return {
    method: row.method as RouteMethod,
    path: row.path,
    ...(row.scope ? { scope: row.scope } : {}),
    ...(row.permissions.length ? { permissions: row.permissions } : {}),
    ...(row.cost !== null ? { cost: row.cost } : {}),
    ...(row.public ? { public: true } : {}),
  };
}

// The table as stored, routes in the order written (GET /api/v1/routes, the admin page).
export async function getRouteTable(): Promise<RouteTable> {
  const [settings, rows] = await Promise.all([
    db.gatewayRouteSettings.findUnique({ where: { id: "default" } }),
    db.gatewayRoute.findMany({ orderBy: { position: "asc" } }),
  ]);
  return { default: settings?.defaultAction === "allow" ? "allow" : "deny", routes: rows.map(toView) };
}

// Compiles a table for matching (pure; also the admin page's tester on a table not saved yet).
export function compileRouteTable(table: RouteTable): CompiledRouteTable {
  return {
    table,
    defaultAction: table.default,
    matcher: compileRoutes(table.routes.map((r) => ({ method: r.method, path: r.path, data: r }))),
  };
}

// The compiled table of this process: cached, loaded once at a time, never caching a load an invalidation overtook.
export function currentRouteTable(now = Date.now()): Promise<CompiledRouteTable> {
  ensureKeyInvalidationListener();
  const entry = cache.entry;
  if (entry && entry.until > now) return entry.value;
  const generation = cache.generation;
  const value = getRouteTable().then(compileRouteTable);
  const fresh = { value, until: now + env().KEY_CACHE_TTL_MS };
  cache.entry = fresh;
  value.then(
    () => {
      if (cache.generation !== generation && cache.entry === fresh) cache.entry = undefined;
    },
    () => {
      if (cache.entry === fresh) cache.entry = undefined;
    },
  );
  return value;
}

// What a route requires of a key (cost defaults to 1, as /verify's).
export function requirementsOf(route: RouteView | null): RouteRequirements {
  if (!route) return { cost: 1, public: false };
  return {
    scope: route.scope,
    permissions: route.permissions,
    cost: route.cost ?? 1,
    public: route.public === true,
  };
}

// Replaces the whole table in one transaction (PUT semantics) after validating it: a permission the catalogue lacks is
// a 400 naming the route's field. Audited; every instance's cache dropped. Answers the new table.
export async function replaceRouteTable(
  actor: RouteTableActor,
  input: RouteTableInput | unknown,
  ip: string | null,
): Promise<RouteTable> {
  if (actor !== "service") assertAdmin(actor);
  const parsed = routeTableSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError("invalid_request", issue.message, issue.path.map(String).join(".") || "body");
  }
  const document: RouteTableDocument = parsed.data;
  // The routes as stored: what a route leaves out is null, none or false.
  const rows = document.routes.map((r) => ({
    method: r.method,
    path: r.path,
    scope: r.scope ?? null,
    permissions: r.permissions ?? [],
    cost: r.cost ?? null,
    public: r.public ?? false,
  }));
  const table = await db.$transaction(async (tx) => {
    const names = [...new Set(document.routes.flatMap((r) => r.permissions ?? []))];
    const unknown = new Set(await unknownPermissions(tx, names));
    const at = document.routes.findIndex((r) => r.permissions?.some((p) => unknown.has(p)));
    if (at !== -1) {
      const name = document.routes[at].permissions!.find((p) => unknown.has(p));
      throw new ApiError("invalid_request", `Unknown permission: ${name}`, `routes.${at}.permissions`);
    }
    const before = await tx.gatewayRoute.count();
    await tx.gatewayRoute.deleteMany({});
    await tx.gatewayRoute.createMany({ data: rows.map((row, position) => ({ position, ...row })) });
    await tx.gatewayRouteSettings.upsert({
      where: { id: "default" },
      create: { id: "default", defaultAction: document.default },
      update: { defaultAction: document.default },
    });
    const actorId = actor === "service" ? null : actor.id;
    await recordAudit(
      {
        organizationId: null,
        userId: actorId,
        actorId,
        action: "routes.updated",
        ip,
        metadata: { default: document.default, routes: document.routes.length, before },
      },
      tx,
    );
    return {
      default: document.default,
      routes: rows.map(toView),
    };
  });
  await publishTopicInvalidation(ROUTES_TOPIC);
  return table;
}

export type RouteTestResult = {
  method: string;
  path: string;
  // The route that wins, with its parameters; null: none matches and the default applies.
  route: RouteView | null;
  params: Record<string, string>;
  outcome: "public" | "key" | "denied";
};

// Which route of the current table a request would meet, and what it would need (the admin page's tester).
export async function testRoute(actor: Actor, method: string, uri: string): Promise<RouteTestResult> {
  assertAdmin(actor);
  const segments = pathSegments(uri);
  if (!segments)
    throw new ApiError("invalid_request", "Not a path Keyhold can match (/…, no dot segments or encoded /)", "path");
  const compiled = compileRouteTable(await getRouteTable());
  const match = compiled.matcher.match(method, segments);
  return {
    method,
    path: uri,
    route: match?.data ?? null,
    params: match?.params ?? {},
    outcome: match ? (match.data.public ? "public" : "key") : compiled.defaultAction === "deny" ? "denied" : "key",
  };
}

// The table as the admin page shows it: routes most specific first (the order a request tries them in).
export async function routeTableBySpecificity(actor: Actor): Promise<RouteTable> {
  assertAdmin(actor);
  const table = await getRouteTable();
  return {
    default: table.default,
    routes: compileRouteTable(table)
      .matcher.ordered()
      .map((r) => r.data),
  };
}
