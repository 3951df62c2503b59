// The verifier's SQL lookup by hash (lib/keys/record.ts) returns what Prisma's keyRecordSelect returns, field for field,
// for keys with every kind of value: expiry, allowlist, permissions, credits with a refill, a rotation's previous
// secret, a revoked key, a suspended organization on another plan.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashKey } from "@/lib/keys/hash";
import { findKeyRecordByHash, keyRecordSelect } from "@/lib/keys/record";
import { revokeKey, rotateKey } from "@/lib/keys/service";
import { withTestDb } from "../helpers/db";
import { createUser, makeKey, ownerActor } from "../helpers/keys";

withTestDb();

const viaPrisma = (hash: string) =>
  db.apiKey.findFirst({ where: { OR: [{ hash }, { previousHash: hash }] }, select: keyRecordSelect });

describe("findKeyRecordByHash", () => {
  it("equals Prisma's keyRecordSelect for plain, governed, rotated, revoked keys and a suspended organization", async () => {
    const user = await createUser("lookup");
    const actor = await ownerActor(user.id);
    const plain = await makeKey(user.id, ["read"]);
    const governed = await makeKey(user.id, ["read", "write"], {
      expiresAt: new Date(Date.now() + 86_400_000),
      ipAllowlist: [{ value: "10.0.0.0/8", note: "office" }, { value: "2001:db8::/32" }],
      rateLimit: 5,
      credits: { remaining: 40, refill: { amount: 100, interval: "day" } },
    });
    const rotated = await makeKey(user.id, ["admin"]);
    const rotation = await rotateKey(actor, rotated.key.id, 3600, { ip: null });
    const revoked = await makeKey(user.id, ["read"]);
    await revokeKey(actor, revoked.key.id, { ip: null });
    await db.apiKey.update({ where: { id: plain.key.id }, data: { lastUsedAt: new Date("2026-01-02T03:04:05.678Z") } });

    const secrets = [plain.secret, governed.secret, rotated.secret, rotation.secret, revoked.secret];
    for (const secret of secrets) {
      const hash = hashKey(secret);
      const expected = await viaPrisma(hash);
      expect(expected).not.toBeNull();
      expect(await findKeyRecordByHash(hash)).toEqual(expected);
    }

    await db.organization.update({
      where: { id: actor.organizationId },
      data: { suspendedAt: new Date("2026-03-04T05:06:07.089Z"), plan: "PRO" },
    });
    const hash = hashKey(governed.secret);
    const suspended = await findKeyRecordByHash(hash);
    expect(suspended).toEqual(await viaPrisma(hash));
    expect(suspended?.organization.suspendedAt?.toISOString()).toBe("2026-03-04T05:06:07.089Z");
    expect(suspended?.organization.plan).toBe("PRO");
  });

  it("finds nothing for an unknown hash", async () => {
    expect(await findKeyRecordByHash(hashKey("kh_test_unknown"))).toBeNull();
  });
});
