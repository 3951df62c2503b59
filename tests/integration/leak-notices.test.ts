// What the dashboard shows for leaked keys: the key page's banner (revoked / rotate it now / rotated out) and the
// overview's list (exposed keys whenever found, others for 30 days), rendered as the pages render them.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LeakBanner } from "@/components/leaks/leak-banner";
import { LeakedKeysNotice } from "@/components/leaks/leaked-keys-notice";
import { rotateKey } from "@/lib/keys/service";
import { getKeyLeakNotice, listLeakedKeys, RECENT_LEAK_DAYS } from "@/lib/leaks/notices";
import { handleLeak } from "@/lib/leaks/service";
import { createUser, makeKey, ownerActor, personalOrg } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

const db = withTestDb();

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'");

async function orgWith(leakResponse: "revoke" | "notify") {
  const owner = await createUser();
  const org = await personalOrg(owner.id);
  await db.current.client.organization.update({ where: { id: org.id }, data: { leakResponse } });
  return { owner, org };
}

describe("the key page's banner", () => {
  it("says where and when, and — revoked", async () => {
    const { owner, org } = await orgWith("revoke");
    const { key, secret } = await makeKey(owner.id, ["read"], { name: "ci" });
    expect(await getKeyLeakNotice(org.id, key.id)).toBeNull();
    await handleLeak({ secret, source: "github", url: "https://github.com/o/r/blob/1/.env" }, { ip: null });
    const notice = (await getKeyLeakNotice(org.id, key.id))!;
    expect(notice).toMatchObject({ state: "revoked", source: "github", url: "https://github.com/o/r/blob/1/.env" });
    const html = renderToStaticMarkup(createElement(LeakBanner, { notice }));
    expect(text(html)).toMatch(
      /^Found in a public place on \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC \(GitHub secret scanning https:\/\/github\.com\/o\/r\/blob\/1\/\.env\) — revoked\.$/,
    );
    expect(html).toContain('href="https://github.com/o/r/blob/1/.env"');
    expect(html).toContain('rel="nofollow noopener noreferrer"');
    expect(html).toContain('role="alert"');
  });

  it("— rotate it now under the notify policy, then rotated out once a rotation replaced the secret", async () => {
    const { owner, org } = await orgWith("notify");
    const { key, secret } = await makeKey(owner.id, ["read"]);
    await handleLeak({ secret, source: "report", url: null }, { ip: null });
    const exposed = (await getKeyLeakNotice(org.id, key.id))!;
    expect(exposed.state).toBe("exposed");
    expect(text(renderToStaticMarkup(createElement(LeakBanner, { notice: exposed })))).toMatch(
      /\(a public report\) — rotate it now\. Anyone who saw it/,
    );

    await rotateKey(await ownerActor(owner.id), key.id, 3600, { ip: null });
    expect((await getKeyLeakNotice(org.id, key.id))!.state).toBe("exposed");
    await rotateKey(await ownerActor(owner.id), key.id, 0, { ip: null });
    const replaced = (await getKeyLeakNotice(org.id, key.id))!;
    expect(replaced.state).toBe("replaced");
    expect(text(renderToStaticMarkup(createElement(LeakBanner, { notice: replaced })))).toMatch(/rotated out\.$/);
  });

  it("links only http(s) URLs and counts the other places", async () => {
    const { owner, org } = await orgWith("notify");
    const { key, secret } = await makeKey(owner.id, ["read"]);
    await handleLeak({ secret, source: "github", url: "https://github.com/a" }, { ip: null });
    await handleLeak({ secret, source: "github", url: "javascript:alert(1)" }, { ip: null });
    const notice = (await getKeyLeakNotice(org.id, key.id))!;
    expect(notice).toMatchObject({ url: "javascript:alert(1)", places: 2 });
    const html = renderToStaticMarkup(createElement(LeakBanner, { notice }));
    expect(html).not.toContain("href=");
    expect(text(html)).toContain("and 1 more place)");
  });

  it("shows nothing for another organization's key", async () => {
    const { owner } = await orgWith("revoke");
    const { key, secret } = await makeKey(owner.id, ["read"]);
    await handleLeak({ secret, source: "report", url: null }, { ip: null });
    const other = await personalOrg((await createUser()).id);
    expect(await getKeyLeakNotice(other.id, key.id)).toBeNull();
  });
});

describe("the overview's notice", () => {
  it("lists exposed keys first, recent revoked ones, and drops revoked ones found long ago", async () => {
    const { owner, org } = await orgWith("notify");
    const notified = await makeKey(owner.id, ["read"], { name: "still-exposed" });
    const quiet = await makeKey(owner.id, ["read"], { name: "never-found" });
    await handleLeak({ secret: notified.secret, source: "report", url: null }, { ip: null });
    await db.current.client.organization.update({ where: { id: org.id }, data: { leakResponse: "revoke" } });
    const revoked = await makeKey(owner.id, ["read"], { name: "revoked-recently" });
    await handleLeak({ secret: revoked.secret, source: "github", url: "https://github.com/x" }, { ip: null });
    const old = await makeKey(owner.id, ["read"], { name: "revoked-long-ago" });
    await handleLeak({ secret: old.secret, source: "report", url: null }, { ip: null });
    const longAgo = new Date(Date.now() - (RECENT_LEAK_DAYS + 1) * 86_400_000);
    await db.current.client.keyLeak.updateMany({ where: { keyId: old.key.id }, data: { createdAt: longAgo } });
    await db.current.client.keyLeak.updateMany({ where: { keyId: notified.key.id }, data: { createdAt: longAgo } });

    const notices = await listLeakedKeys(org.id);
    expect(notices.map((n) => [n.name, n.state])).toEqual([
      ["still-exposed", "exposed"],
      ["revoked-recently", "revoked"],
    ]);
    const html = renderToStaticMarkup(createElement(LeakedKeysNotice, { slug: org.slug, notices }));
    expect(text(html)).toContain("2 keys were found in a public place");
    expect(html).toContain(`href="/dashboard/${org.slug}/keys/${notified.key.id}"`);
    expect(text(html)).toContain("still works: rotate or revoke it now");
    expect(text(html)).not.toContain(quiet.key.name);
    expect(renderToStaticMarkup(createElement(LeakedKeysNotice, { slug: org.slug, notices: [] }))).toBe("");
  });
});
