// The Actor: who acts in an organization, built once at every entry point (server action, REST route, page, route
// handler) and handed to the services, which ask the capability table (./roles) again inside their transaction.
import { ApiError } from "../errors";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Scope } from "../generated/prisma/enums";
import type { OrgMember } from "./organizations";
import { can, refusalOf, weaker, type Capability, type OrgRole, type OwnedResource, type RoleHolder } from "./roles";

// How the actor came: a dashboard session, an API key acting as its creator, the platform's service token, or an
// instance administrator acting from /admin.
export type ActorVia = "session" | "key" | "service" | "instance-admin";

// The key a key-authenticated call came with (recorded in the audit trail with the change it made).
export type ActingKey = { id: string; prefix: string; name: string; scopes: readonly Scope[] };

export type Actor = RoleHolder & {
  organizationId: string;
  // Omitted: a member in a session (services and tests that act as a member).
  via?: ActorVia;
  key?: ActingKey | null;
  ip?: string | null;
};

export const CREATOR_NOT_MEMBER = "creator_not_member";
const CREATOR_GONE =
  "This API key's creator is no longer a member of its organization: the key still verifies for your API, but it " +
  "cannot manage anything. Create a key as a current member.";

type Client = Pick<Prisma.TransactionClient, "membership">;

// The most a key's scopes let it do: read → a viewer's rights, write → at most a developer's, admin → its creator's.
export function scopeCeiling(scopes: readonly Scope[]): OrgRole {
  if (scopes.includes("admin")) return "owner";
  if (scopes.includes("write")) return "developer";
  return "viewer";
}

// The role an actor acts with, given its member's current role (null: not a member): a key is capped by its scopes.
export function effectiveRole(memberRole: OrgRole | null, key: ActingKey | null | undefined): OrgRole | null {
  if (!memberRole) return null;
  return key ? weaker(memberRole, scopeCeiling(key.scopes)) : memberRole;
}

// A member acting from the dashboard (a session).
export function memberActor(member: OrgMember, ip: string | null = null): Actor {
  return { organizationId: member.organization.id, userId: member.userId, role: member.role, via: "session", ip };
}

// The current role of `userId` in the organization (null when not a member), read through `client`.
async function memberRole(client: Client, organizationId: string, userId: string | null): Promise<OrgRole | null> {
  if (!userId) return null;
  const row = await client.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  return row?.role ?? null;
}

// An API key acting in a management call: as its creator, with the creator's current role capped by its scopes.
export async function keyActor(
  key: {
    id: string;
    prefix: string;
    name: string;
    scopes: readonly Scope[];
    organizationId: string;
    createdById: string | null;
  },
  ip: string | null,
  client: Client = db,
): Promise<Actor> {
  const acting: ActingKey = { id: key.id, prefix: key.prefix, name: key.name, scopes: key.scopes };
  const role = effectiveRole(await memberRole(client, key.organizationId, key.createdById), acting);
  return { organizationId: key.organizationId, userId: key.createdById, role, via: "key", key: acting, ip };
}

// The refusal of `capability` to `actor`: a key whose creator left says so (reason creator_not_member).
export function refusal(actor: Actor, capability: Capability): ApiError {
  if (actor.role === null)
    return actor.via === "key"
      ? new ApiError("forbidden", CREATOR_GONE, undefined, CREATOR_NOT_MEMBER)
      : new ApiError("not_found", "No organization with this slug", "org");
  const viaKey = actor.via === "key" ? " (an API key acts as its creator, limited by its scopes)" : "";
  return new ApiError("forbidden", refusalOf(capability, actor.role) + viaKey);
}

// Throws unless `actor` holds `capability` (over `resource`), as the actor stands now.
export function assertCan(actor: Actor, capability: Capability, resource?: OwnedResource): void {
  if (!can(actor, capability, resource)) throw refusal(actor, capability);
}

// The actor as it stands inside a transaction: its role read again (a role changed or a member removed since the entry
// point counts), a key's still capped by its scopes. Service and instance-administrator actors are returned as they are.
export async function reloadActor(tx: Client, actor: Actor): Promise<Actor> {
  if (actor.via === "service" || actor.via === "instance-admin") return actor;
  const role = effectiveRole(await memberRole(tx, actor.organizationId, actor.userId), actor.key);
  return { ...actor, role };
}

// reloadActor, then assertCan: the services' re-check inside their transaction; answers the actor as reloaded.
export async function authorizeInTx(
  tx: Client,
  actor: Actor,
  capability: Capability,
  resource?: OwnedResource,
): Promise<Actor> {
  const now = await reloadActor(tx, actor);
  assertCan(now, capability, resource);
  return now;
}
