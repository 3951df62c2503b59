// The notification bell: the organization's events in words, unread since the member's read mark (or since they
// joined), per member, and "mark all read"; the organization layout renders the bell with them.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { emitEvent } from "@/lib/events/emit";
import { getNotifications, markNotificationsRead } from "@/lib/events/notifications";
import { findMembership } from "@/lib/orgs/organizations";
import { withTestDb } from "../helpers/db";
import { createUser, keyInput, makeKey } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";

withTestDb();

describe("notifications", () => {
  it("counts the organization's events since each member's read mark, in words", async () => {
    const owner = await createUser("bell");
    const viewer = await createUser("bell-viewer");
    const org = await createTeam(owner.id, [{ userId: viewer.id, role: "viewer" }]);
    const ownerMember = (await findMembership(owner.id, org.slug))!;
    const viewerMember = (await findMembership(viewer.id, org.slug))!;
    expect(await getNotifications(ownerMember)).toEqual({ unread: 0, events: [] });

    const { createKey } = await import("@/lib/keys/service");
    await createKey(
      { organizationId: org.id, userId: owner.id, role: "owner" },
      keyInput({ name: "billing", environment: "live" }),
      { ip: null },
    );
    // A webhook test event is no notification.
    await db.$transaction((tx) =>
      emitEvent(tx, {
        organizationId: org.id,
        type: "member.joined",
        data: {
          member: { userId: "user_ann", email: "ann@example.com", role: "viewer" },
          invitationId: "inv_ann",
        },
      }),
    );
    await db.event.create({ data: { organizationId: org.id, type: "webhook.test", data: {} } });
    // Another organization's events are not counted.
    await makeKey((await createUser("elsewhere")).id);

    const seen = await getNotifications(ownerMember);
    expect(seen.unread).toBe(2);
    expect(seen.events.map((e) => e.text)).toEqual([
      "ann@example.com joined",
      expect.stringMatching(/^Key “billing” \(kh_live_\w+…\) was created$/),
    ]);
    expect(seen.events.every((e) => e.unread)).toBe(true);

    await markNotificationsRead(ownerMember, new Date(Date.now() + 1000));
    const after = await getNotifications(ownerMember);
    expect(after.unread).toBe(0);
    expect(after.events).toHaveLength(2);
    expect(after.events.some((e) => e.unread)).toBe(false);
    // Each member has their own mark.
    expect((await getNotifications(viewerMember)).unread).toBe(2);
  });
});
