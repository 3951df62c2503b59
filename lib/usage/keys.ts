// The key facts usage pages need (names for the filter, the active-key count), read straight from ApiKey.
import { db } from "../db";

// The organization's keys for the usage filter, newest first, revoked ones included (their history stays visible).
export function listUsageKeys(organizationId: string) {
  return db.apiKey.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, name: true, prefix: true, revokedAt: true },
  });
}

// Keys that can still authenticate: not revoked and not expired.
export function countActiveKeys(organizationId: string, now = new Date()): Promise<number> {
  return db.apiKey.count({
    where: { organizationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
}
