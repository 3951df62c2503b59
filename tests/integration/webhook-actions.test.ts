// The webhooks page's server actions as an administrator: field errors next to the field (a refused URL names `url`,
// no event names `events`), the secret once on success, edit, enable after Keyhold disabled, redeliver, test event.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createWebhookAction, editWebhookAction, setWebhookEnabledAction, sendTestEventAction, redeliverAction } =
  await import("@/lib/actions/webhooks");

withTestDb();

let slug: string;

beforeAll(async () => {
  const admin = await createMemberAccount("hook-admin");
  const owner = await createMemberAccount("hook-owner");
  slug = (await createTeam(owner.id, [{ userId: admin.id, role: "admin" }])).slug;
  await signInAs(admin.id);
});

describe("webhook actions", () => {
  it("shows field errors next to the url and the events", async () => {
    const refused = await createWebhookAction({ org: slug, url: "https://10.0.0.1/hook", events: ["key.created"] });
    expect(refused).toMatchObject({ ok: false, code: "invalid_request" });
    expect(!refused.ok && refused.fieldErrors?.url).toMatch(/private/);

    const none = await createWebhookAction({ org: slug, url: "https://93.184.215.14/hook", events: [] });
    expect(!none.ok && none.fieldErrors?.events).toBe("Choose at least one event");
  });

  it("accepts a form post with one checked event (a string, not a list)", async () => {
    const form = new FormData();
    form.set("org", slug);
    form.set("url", "https://93.184.215.14/one");
    form.set("events", "key.revoked");
    const result = await createWebhookAction(null, form);
    expect(result.ok && result.data.webhook.events).toEqual(["key.revoked"]);
  });

  it("adds, edits, re-enables, tests and redelivers", async () => {
    const created = await createWebhookAction({
      org: slug,
      url: "https://93.184.215.14/hook",
      events: ["key.created"],
      description: "billing",
    });
    if (!created.ok) throw new Error(created.message);
    expect(created.data.secret).toMatch(/^whsec_/);
    const id = created.data.webhook.id;

    const edited = await editWebhookAction({
      org: slug,
      id,
      url: "https://93.184.215.14/other",
      events: ["key.revoked", "key.leaked"],
      description: "",
    });
    expect(edited.ok && edited.data).toMatchObject({
      url: "https://93.184.215.14/other",
      events: ["key.revoked", "key.leaked"],
    });

    await db.webhookEndpoint.update({
      where: { id },
      data: { enabled: false, disabledAt: new Date(), disabledReason: "Every delivery failed for 5 days" },
    });
    const refusedTest = await sendTestEventAction({ org: slug, id });
    expect(refusedTest).toMatchObject({ ok: false, code: "conflict" });
    const enabled = await setWebhookEnabledAction({ org: slug, id, enabled: true });
    expect(enabled.ok && enabled.data).toMatchObject({ enabled: true, disabledReason: null });

    const sent = await sendTestEventAction({ org: slug, id });
    if (!sent.ok) throw new Error(sent.message);
    expect(sent.data).toMatchObject({ eventType: "webhook.test", status: "pending" });
    await db.webhookDelivery.update({ where: { id: sent.data.id }, data: { status: "failed", nextAttemptAt: null } });
    const again = await redeliverAction({ org: slug, id, deliveryId: sent.data.id });
    expect(again.ok && again.data.status).toBe("pending");
  });
});
