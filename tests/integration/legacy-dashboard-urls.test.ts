// URLs from before organizations (/dashboard/keys, /usage, /audit) open the same page of the organization used last;
// signed out, they go to sign-in and come back.
import { beforeAll, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { db } from "@/lib/db";
import { createOrganization } from "@/lib/orgs/organizations";
import { withTestDb } from "../helpers/db";
import { redirectOf, withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);

withTestDb();
let userId = "";
let personalSlug = "";

beforeAll(async () => {
  const password = "a long enough password";
  const user = await createAccount({ email: "bookmarks@example.com", password, confirmPassword: password }, null);
  userId = user.id;
  personalSlug = (await db.organization.findUniqueOrThrow({ where: { id: user.lastOrganizationId! } })).slug;
});

const pages = {
  keys: () => import("@/app/(dashboard)/dashboard/keys/page"),
  usage: () => import("@/app/(dashboard)/dashboard/usage/page"),
  audit: () => import("@/app/(dashboard)/dashboard/audit/page"),
};

it.each(Object.keys(pages) as (keyof typeof pages)[])(
  "/dashboard/%s opens that page of the last organization",
  async (page) => {
    const { default: Page } = await pages[page]();
    await withSession({ sub: userId, mfa: "verified", sv: 0 });
    expect(await redirectOf(Page())).toBe(`/dashboard/${personalSlug}/${page}`);

    const team = await db.$transaction((tx) => createOrganization(tx, { name: `Team ${page}`, ownerId: userId }));
    await db.user.update({ where: { id: userId }, data: { lastOrganizationId: team.id } });
    expect(await redirectOf(Page())).toBe(`/dashboard/${team.slug}/${page}`);
    await db.user.update({ where: { id: userId }, data: { lastOrganizationId: null } });

    await withSession(null);
    expect(await redirectOf(Page())).toBe(`/login?next=${encodeURIComponent(`/dashboard/${page}`)}`);
  },
);
