// What the dashboard says about leaked keys: the banner of a key found in public (where, when, and whether it still
// needs rotating) and the organization overview's list of keys found in public recently.
import { db } from "../db";
import type { LeakSource } from "../generated/prisma/enums";

const DAY_MS = 86_400_000;
// How far back the overview lists leaked keys.
export const RECENT_LEAK_DAYS = 30;

// revoked: the key is revoked; exposed: a leaked secret still works (rotate or revoke it now); replaced: a rotation
// replaced every leaked secret and its grace period is over.
export type LeakState = "revoked" | "exposed" | "replaced";

export type LeakNotice = {
  keyId: string;
  name: string;
  prefix: string;
  // The latest place the key was found.
  foundAt: Date;
  source: LeakSource;
  url: string | null;
  // How many places it was found in, in all.
  places: number;
  state: LeakState;
};

const SOURCE_LABELS: Record<LeakSource, string> = {
  github: "GitHub secret scanning",
  report: "a public report",
};

// Who found the key, as the dashboard and mails say it.
export function leakSourceLabel(source: LeakSource): string {
  return SOURCE_LABELS[source];
}

type KeySecrets = {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  previousHash: string | null;
  previousExpiresAt: Date | null;
  revokedAt: Date | null;
};
type LeakRow = { secretHash: string; source: LeakSource; url: string; createdAt: Date };

const keySecretsSelect = {
  id: true,
  name: true,
  prefix: true,
  hash: true,
  previousHash: true,
  previousExpiresAt: true,
  revokedAt: true,
} as const;

// The notice for a key and its leaks (newest first): whether any leaked secret still opens it.
function noticeOf(key: KeySecrets, leaks: LeakRow[], now: Date): LeakNotice {
  const works = (hash: string) =>
    hash === key.hash || (hash === key.previousHash && !!key.previousExpiresAt && key.previousExpiresAt > now);
  const state: LeakState = key.revokedAt ? "revoked" : leaks.some((l) => works(l.secretHash)) ? "exposed" : "replaced";
  const [latest] = leaks;
  return {
    keyId: key.id,
    name: key.name,
    prefix: key.prefix,
    foundAt: latest.createdAt,
    source: latest.source,
    url: latest.url || null,
    places: leaks.length,
    state,
  };
}

// The banner of one key of the organization, or null when it was never found in public.
export async function getKeyLeakNotice(organizationId: string, keyId: string, now = new Date()) {
  const key = await db.apiKey.findFirst({
    where: { id: keyId, organizationId },
    select: {
      ...keySecretsSelect,
      leaks: { orderBy: { createdAt: "desc" }, select: { secretHash: true, source: true, url: true, createdAt: true } },
    },
  });
  if (!key || key.leaks.length === 0) return null;
  return noticeOf(key, key.leaks, now);
}

// The organization's keys still exposed (whenever they were found) and those found in the last RECENT_LEAK_DAYS days,
// exposed ones first, then most recently found first.
export async function listLeakedKeys(organizationId: string, now = new Date()): Promise<LeakNotice[]> {
  const since = new Date(now.getTime() - RECENT_LEAK_DAYS * DAY_MS);
  const rows = await db.keyLeak.findMany({
    where: { organizationId, OR: [{ createdAt: { gte: since } }, { key: { revokedAt: null } }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: { secretHash: true, source: true, url: true, createdAt: true, key: { select: keySecretsSelect } },
  });
  const byKey = new Map<string, { key: KeySecrets; leaks: LeakRow[] }>();
  for (const { key, ...leak } of rows) {
    const entry = byKey.get(key.id) ?? { key, leaks: [] };
    entry.leaks.push(leak);
    byKey.set(key.id, entry);
  }
  const notices = [...byKey.values()]
    .map(({ key, leaks }) => noticeOf(key, leaks, now))
    .filter((n) => n.state === "exposed" || n.foundAt >= since);
  return notices.sort((a, b) => Number(b.state === "exposed") - Number(a.state === "exposed"));
}
