// The audit log of key changes (per organization): who, which key (name and prefix), from which IP, newest first, never a secret.
import { describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit";
import { revokeKey, rotateKey, updateKey } from "@/lib/keys/service";
import { createUser, makeKey, ownerActor } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();

describe("key audit events", () => {
  it("records created, updated, rotated, revoked with actor, key and IP, newest first, paginated, without secrets", async () => {
    const user = await createUser();
    const other = await createUser("other");
    const { key, secret } = await makeKey(user.id, ["read"], { name: "audited" });
    const actor = await ownerActor(user.id);
    await updateKey(actor, key.id, { name: "audited-2" }, { ip: "198.51.100.7" });
    const rotated = await rotateKey(actor, key.id, 60, { ip: "2001:db8::1" });
    await revokeKey(actor, key.id, { ip: "198.51.100.8" });
    await makeKey(other.id, ["read"]);

    const first = await listAuditEvents({ organizationId: user.organization.id }, { limit: 3 });
    expect(first.data.map((e) => [e.action, e.ip, e.actorId])).toEqual([
      ["key.revoked", "198.51.100.8", user.id],
      ["key.rotated", "2001:db8::1", user.id],
      ["key.updated", "198.51.100.7", user.id],
    ]);
    expect(first.data[0].actor).toEqual({ id: user.id, email: user.email });
    expect(first.data[0].key).toEqual({ id: key.id, name: "audited-2", prefix: rotated.secret.slice(0, 12) });
    const second = await listAuditEvents(
      { organizationId: user.organization.id },
      { cursor: first.nextCursor!, limit: 3 },
    );
    expect(second.data.map((e) => e.action)).toEqual(["key.created"]);
    expect(second.nextCursor).toBeNull();

    const all = JSON.stringify([first, second]);
    expect(all).not.toContain(secret.slice(12));
    expect(all).not.toContain(rotated.secret.slice(12));
  });
});
