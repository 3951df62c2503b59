// Cross-instance cache invalidation: key writes NOTIFY, and a listener drops the cached record when notified.
// On PostgreSQL this runs over real LISTEN/NOTIFY connections; on PGlite (one process, no listener) it checks the publish path.
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { cacheKey, getCachedKey } from "@/lib/keys/cache";
import { hashKey } from "@/lib/keys/hash";
import {
  ensureKeyInvalidationListener,
  invalidateOrganizationKeysEverywhere,
  INVALIDATION_CHANNEL,
  stopKeyInvalidationListener,
} from "@/lib/keys/invalidation";
import { keyRecordSelect } from "@/lib/keys/record";
import { revokeKey } from "@/lib/keys/service";
import { createUser, makeKey, ownerActor } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

const testDb = withTestDb();

// A key of the user whose record sits in this process's cache; returns its hash.
async function cachedKeyOf(userId: string): Promise<string> {
  const { key, secret } = await makeKey(userId, ["read"]);
  const hash = hashKey(secret);
  cacheKey(hash, await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: keyRecordSelect }));
  return hash;
}

// Starts this process's listener, then notifies from another connection until `read()` equals `expected` (the listener
// connects in the background, so earlier notifications may go unheard).
async function notifyFromAnotherInstance<T>(payload: string, read: () => T, expected: T): Promise<void> {
  expect(ensureKeyInvalidationListener(testDb.current.url)).toBe(true);
  const other = new Client({ connectionString: testDb.current.url });
  await other.connect();
  await expect
    .poll(async () => {
      await other.query("SELECT pg_notify($1, $2)", [INVALIDATION_CHANNEL, payload]);
      return read();
    })
    .toEqual(expected);
  await other.end();
  await stopKeyInvalidationListener();
}

describe("key cache invalidation across instances", () => {
  it("a revoke publishes the key id on the invalidation channel", async () => {
    const user = await createUser();
    const { key } = await makeKey(user.id, ["read"]);
    if (testDb.current.kind === "pglite") {
      // No other process can listen to an embedded database: publishing must simply succeed.
      await expect(revokeKey(await ownerActor(user.id), key.id, { ip: null })).resolves.toMatchObject({ id: key.id });
      expect(ensureKeyInvalidationListener(undefined)).toBe(false);
      return;
    }
    const listener = new Client({ connectionString: testDb.current.url });
    await listener.connect();
    const received = new Promise<string | undefined>((resolve) =>
      listener.on("notification", (msg) => resolve(msg.payload)),
    );
    await listener.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    await revokeKey(await ownerActor(user.id), key.id, { ip: null });
    expect(await received).toBe(key.id);
    await listener.end();
  });

  it("a notification from another instance drops the cached record", async () => {
    const user = await createUser();
    const hash = await cachedKeyOf(user.id);
    const cached = getCachedKey(hash);
    expect(cached).toBeDefined();
    if (testDb.current.kind === "pglite") {
      expect(ensureKeyInvalidationListener(undefined)).toBe(false);
      return;
    }
    await notifyFromAnotherInstance(cached!.id, () => getCachedKey(hash), undefined);
  });

  it("an organization notification from another instance drops that organization's cached records and no one else's", async () => {
    const owner = await createUser();
    const bystander = await createUser();
    const cached = await Promise.all([owner, owner, bystander].map((u) => cachedKeyOf(u.id)));
    if (testDb.current.kind === "pglite") {
      // In-process the same drop happens directly (invalidateOrganizationKeysEverywhere); no listener can run here.
      await invalidateOrganizationKeysEverywhere(owner.organization.id);
      expect(cached.map((h) => getCachedKey(h) !== undefined)).toEqual([false, false, true]);
      return;
    }
    await notifyFromAnotherInstance(
      `org:${owner.organization.id}`,
      () => cached.map((h) => getCachedKey(h) !== undefined),
      [false, false, true],
    );
  });
});
