// The permission catalogue: the platform's own resource:action vocabulary, kept by instance administrators (the admin
// page) or as configuration as code (PUT /api/v1/permissions with the service token). Every write is audited as an
// instance-level event (no organization). A permission an active key holds cannot be removed.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { assertAdmin, type Actor } from "../admin/accounts";
import {
  addPermissionSchema,
  deletePermissionSchema,
  describePermissionSchema,
  permissionCatalogueSchema,
  type PermissionEntry,
} from "../validations/permissions";

// Who changes the catalogue: an instance administrator, or "service" (the service token; audited with no actor).
export type CatalogueActor = Actor | "service";

export type CatalogueEntry = { name: string; description: string };
export type CatalogueRow = CatalogueEntry & { keys: number; createdAt: Date; updatedAt: Date };

type Tx = Prisma.TransactionClient;

function actorIdOf(actor: CatalogueActor): string | null {
  if (actor === "service") return null;
  assertAdmin(actor);
  return actor.id;
}

function audit(
  tx: Tx,
  actor: CatalogueActor,
  action: "permissions.added" | "permissions.described" | "permissions.deleted" | "permissions.updated",
  ip: string | null,
  metadata: Prisma.InputJsonValue,
) {
  const actorId = actor === "service" ? null : actor.id;
  return recordAudit({ organizationId: null, userId: actorId, actorId, action, ip, metadata }, tx);
}

// How many active (unrevoked) keys hold each permission; names no key holds are absent.
async function holdersByName(client: Tx | typeof db, names?: readonly string[]): Promise<Map<string, number>> {
  const rows = await client.$queryRaw<{ name: string; keys: number }[]>`
    SELECT p AS name, COUNT(*)::int AS keys
    FROM "ApiKey", unnest("permissions") AS p
    WHERE "revokedAt" IS NULL
    GROUP BY p`;
  const wanted = names ? new Set(names) : null;
  return new Map(rows.filter((r) => !wanted || wanted.has(r.name)).map((r) => [r.name, Number(r.keys)]));
}

// Locks catalogue rows about to be removed (a key write granting one waits, or the removal sees its holder).
function lockPermissions(tx: Tx, names: readonly string[]) {
  return tx.$queryRaw<{ name: string }[]>`
    SELECT name FROM "Permission" WHERE name = ANY(${[...names]}::text[]) FOR UPDATE`;
}

function heldError(name: string, keys: number): ApiError {
  return new ApiError(
    "conflict",
    `${name} is held by ${keys} active ${keys === 1 ? "key" : "keys"}: remove it from ${keys === 1 ? "that key" : "those keys"} first`,
    undefined,
    "permission_in_use",
  );
}

// The catalogue as the API shows it, by name.
export async function listPermissions(): Promise<CatalogueEntry[]> {
  return db.permission.findMany({ orderBy: { name: "asc" }, select: { name: true, description: true } });
}

// The catalogue with how many active keys hold each permission (the admin page).
export async function listPermissionsWithHolders(actor: Actor): Promise<CatalogueRow[]> {
  assertAdmin(actor);
  const [rows, holders] = await Promise.all([db.permission.findMany({ orderBy: { name: "asc" } }), holdersByName(db)]);
  return rows.map((p) => ({
    name: p.name,
    description: p.description,
    keys: holders.get(p.name) ?? 0,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }));
}

// Adds a permission to the catalogue; a name already there is a field error.
export async function addPermission(
  actor: CatalogueActor,
  input: { name: string; description?: string },
  ip: string | null,
): Promise<CatalogueEntry> {
  actorIdOf(actor);
  const { name, description } = addPermissionSchema.parse(input);
  return db.$transaction(async (tx) => {
    if (await tx.permission.findUnique({ where: { name }, select: { name: true } }))
      throw new ApiError("invalid_request", `${name} is already in the catalogue`, "name");
    const created = await tx.permission.create({
      data: { name, description },
      select: { name: true, description: true },
    });
    await audit(tx, actor, "permissions.added", ip, { name, description });
    return created;
  });
}

// Changes a permission's description.
export async function describePermission(
  actor: CatalogueActor,
  input: { name: string; description: string },
  ip: string | null,
): Promise<CatalogueEntry> {
  actorIdOf(actor);
  const { name, description } = describePermissionSchema.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.permission.findUnique({ where: { name } });
    if (!before) throw new ApiError("not_found", `No permission ${name} in the catalogue`, "name");
    const updated = await tx.permission.update({
      where: { name },
      data: { description },
      select: { name: true, description: true },
    });
    await audit(tx, actor, "permissions.described", ip, { name, from: before.description, to: description });
    return updated;
  });
}

// Removes a permission no active key holds (409 conflict naming how many keys hold it otherwise).
export async function deletePermission(actor: CatalogueActor, input: { name: string }, ip: string | null) {
  actorIdOf(actor);
  const { name } = deletePermissionSchema.parse(input);
  await db.$transaction(async (tx) => {
    if ((await lockPermissions(tx, [name])).length === 0)
      throw new ApiError("not_found", `No permission ${name} in the catalogue`, "name");
    const keys = await tx.apiKey.count({ where: { revokedAt: null, permissions: { has: name } } });
    if (keys > 0) throw heldError(name, keys);
    await tx.permission.delete({ where: { name } });
    await audit(tx, actor, "permissions.deleted", ip, { name });
  });
}

// Replaces the whole catalogue with `document` in one transaction (PUT semantics): names not in it are removed, unless
// an active key still holds one (409 conflict naming it, nothing changed). Answers the new catalogue.
export async function replaceCatalogue(
  actor: CatalogueActor,
  document: { permissions: PermissionEntry[] },
  ip: string | null,
): Promise<CatalogueEntry[]> {
  actorIdOf(actor);
  const { permissions } = permissionCatalogueSchema.parse(document);
  return db.$transaction(async (tx) => {
    const before = await tx.permission.findMany({ select: { name: true, description: true } });
    const wanted = new Map(permissions.map((p) => [p.name, p.description]));
    const removed = before.filter((p) => !wanted.has(p.name)).map((p) => p.name);
    if (removed.length > 0) {
      await lockPermissions(tx, removed);
      const holders = await holdersByName(tx, removed);
      const held = removed.find((name) => holders.has(name));
      if (held) throw heldError(held, holders.get(held)!);
      await tx.permission.deleteMany({ where: { name: { in: removed } } });
    }
    const existing = new Map(before.map((p) => [p.name, p.description]));
    const added: string[] = [];
    const described: string[] = [];
    for (const [name, description] of wanted) {
      if (!existing.has(name)) {
        added.push(name);
        await tx.permission.create({ data: { name, description } });
      } else if (existing.get(name) !== description) {
        described.push(name);
        await tx.permission.update({ where: { name }, data: { description } });
      }
    }
    await audit(tx, actor, "permissions.updated", ip, { added, removed, described, total: wanted.size });
    return tx.permission.findMany({ orderBy: { name: "asc" }, select: { name: true, description: true } });
  });
}

// The names of `names` missing from the catalogue, checked inside a key write's transaction: the rows found stay locked
// (FOR SHARE) until it commits, so a concurrent delete (which locks FOR UPDATE, then counts holders) sees the new holder.
export async function unknownPermissions(tx: Tx, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const found = await tx.$queryRaw<{ name: string }[]>`
    SELECT name FROM "Permission" WHERE name = ANY(${[...names]}::text[]) FOR SHARE`;
  const known = new Set(found.map((p) => p.name));
  return names.filter((n) => !known.has(n));
}

// Refuses a key's permissions naming one the catalogue lacks (400 naming the first).
export async function assertKnownPermissions(tx: Tx, names: readonly string[]): Promise<void> {
  const [unknown] = await unknownPermissions(tx, names);
  if (unknown) throw new ApiError("invalid_request", `Unknown permission: ${unknown}`, "permissions");
}
