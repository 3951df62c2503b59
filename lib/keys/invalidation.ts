// Cross-instance cache invalidation over PostgreSQL LISTEN/NOTIFY: a revoke, rotate or edit on one instance drops the
// key from every instance's cache at once; a suspension, restoration or plan change drops all of the organization's keys. The TTL still bounds staleness if a notification is lost. PGlite is
// single-process, so there it is a no-op.
import { Client } from "pg";
import { db } from "../db";
import { env } from "../env";
import { onShutdown } from "../shutdown";
import { invalidateCachedKey, invalidateCachedKeysOf } from "./cache";
import { processSingleton } from "../singleton";

export const INVALIDATION_CHANNEL = "keyhold_key_invalidated";
// A payload is a key id, or this prefix and an organization id (key ids are cuids: no colon).
const ORG_PREFIX = "org:";
const RECONNECT_MS = 1000;

type Listener = { client?: Client; stopped: boolean; retry?: NodeJS.Timeout };

const shared = processSingleton<{ listener?: Listener }>("key-invalidation-listener", () => ({}));

// Tells every instance listening on the database to forget a key's cached record (harmless on PGlite: nobody listens).
async function publishKeyInvalidation(id: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${id})`;
}

// Forgets a key's cached record in this process at once and, through NOTIFY, in every other instance.
export async function invalidateKeyEverywhere(id: string): Promise<void> {
  invalidateCachedKey(id);
  await publishKeyInvalidation(id);
}

// Forgets every cached record of an organization's keys, here at once and in every other instance.
export async function invalidateOrganizationKeysEverywhere(organizationId: string): Promise<void> {
  invalidateCachedKeysOf(organizationId);
  await db.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${ORG_PREFIX + organizationId})`;
}

// Other per-process caches invalidated over the same channel, by their own payload (containing a colon, unlike key ids).
const topics = processSingleton<Map<string, () => void>>("invalidation-topics", () => new Map());

// Runs `handler` in this process whenever any instance publishes `topic` (see publishTopicInvalidation).
export function onTopicInvalidation(topic: string, handler: () => void): void {
  if (!topic.includes(":")) throw new Error(`An invalidation topic contains a colon: ${topic}`);
  topics.set(topic, handler);
}

// Runs the topic's handler here at once and, through NOTIFY, in every other instance listening on the database.
export async function publishTopicInvalidation(topic: string): Promise<void> {
  topics.get(topic)?.();
  await db.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${topic})`;
}

function applyInvalidation(payload: string): void {
  const topic = topics.get(payload);
  if (topic) topic();
  else if (payload.startsWith(ORG_PREFIX)) invalidateCachedKeysOf(payload.slice(ORG_PREFIX.length));
  else invalidateCachedKey(payload);
}

async function connect(listener: Listener, url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  const reconnect = () => {
    if (listener.client !== client || listener.stopped) return;
    listener.client = undefined;
    void client.end().catch(() => undefined);
    listener.retry = setTimeout(() => void connect(listener, url), RECONNECT_MS);
    listener.retry.unref();
  };
  listener.client = client;
  client.on("error", reconnect);
  client.on("end", reconnect);
  client.on("notification", (msg) => {
    if (msg.channel === INVALIDATION_CHANNEL && msg.payload) applyInvalidation(msg.payload);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
  } catch {
    reconnect();
  }
}

// Starts this process's listener once (on the first verification); returns whether one runs.
export function ensureKeyInvalidationListener(url = env().DATABASE_URL): boolean {
  if (!url) return false;
  if (shared.listener) return true;
  const listener: Listener = { stopped: false };
  shared.listener = listener;
  void connect(listener, url);
  onShutdown("key-invalidation-listener", stopKeyInvalidationListener);
  return true;
}

// Stops the listener (at shutdown, and in tests).
export async function stopKeyInvalidationListener(): Promise<void> {
  const listener = shared.listener;
  if (!listener) return;
  listener.stopped = true;
  clearTimeout(listener.retry);
  shared.listener = undefined;
  await listener.client?.end().catch(() => undefined);
}
