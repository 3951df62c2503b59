// The Security page's mail preferences through the real server action: checked kinds stay on, the rest are turned
// off; an unknown kind is refused naming the field; without a session nothing changes.
import { describe, expect, it, vi } from "vitest";
import { getMailOptOut } from "@/lib/events/mail";
import { withTestDb } from "../helpers/db";
import { createUser } from "../helpers/keys";
import { withSession } from "../helpers/next-request";
import { signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { saveMailPreferencesAction } = await import("@/lib/actions/security");

withTestDb();

describe("mail preferences", () => {
  it("keeps the checked kinds on and turns the others off, from an object or a form post", async () => {
    const user = await createUser("prefs");
    expect(await getMailOptOut(user.id)).toEqual([]);
    await signInAs(user.id);
    expect(await saveMailPreferencesAction({ mail: ["key_expiry"] })).toMatchObject({ ok: true });
    expect(await getMailOptOut(user.id)).toEqual(["request_digest", "request_decision"]);

    const form = new FormData();
    form.append("mail", "request_digest");
    form.append("mail", "request_decision");
    expect(await saveMailPreferencesAction(null, form)).toMatchObject({ ok: true });
    expect(await getMailOptOut(user.id)).toEqual(["key_expiry"]);

    // Nothing checked: every kind off.
    expect(await saveMailPreferencesAction(null, new FormData())).toMatchObject({ ok: true });
    expect(await getMailOptOut(user.id)).toEqual(["key_expiry", "request_digest", "request_decision"]);
  });

  it("refuses an unknown kind naming the field, and a caller without a session", async () => {
    const user = await createUser("prefs-bad");
    await signInAs(user.id);
    const bad = await saveMailPreferencesAction({ mail: ["everything"] as never });
    expect(bad).toMatchObject({ ok: false, code: "invalid_request" });
    expect(Object.keys((bad as { fieldErrors?: object }).fieldErrors ?? {})[0]).toMatch(/^mail/);
    await withSession(null);
    expect(await saveMailPreferencesAction({ mail: [] })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await getMailOptOut(user.id)).toEqual([]);
  });
});
