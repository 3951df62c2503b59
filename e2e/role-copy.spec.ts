// Each role sees the copy and controls meant for it: owners are not sent to request keys, viewers are not advised to
// request keys and are told plainly that they cannot, the rate-limit hint names the plan's limit, and an administrator
// is not offered to suspend their own organization.
import { expect, test } from "@playwright/test";
import { ADMIN_STATE, gotoOrg } from "./helpers";
import { createOrganization, invite, join, newPerson } from "./team";

test("owners, developers and viewers get the copy of their role", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await newPerson(browser, "copy-owner");
  const name = `Copy ${Date.now()}`;
  const slug = await createOrganization(owner.page, name);
  await owner.page.goto(`/dashboard/${slug}/settings`);
  await owner.page.getByLabel("Key requests").selectOption("admin_scope");
  await owner.page.getByRole("button", { name: "Save policies" }).click();
  await expect(owner.page.getByText("Policies saved.")).toBeVisible();
  const developer = await newPerson(browser, "copy-dev");
  const viewer = await newPerson(browser, "copy-viewer");
  await join(developer.page, await invite(owner.page, slug, developer.email, "developer"), slug);
  await join(viewer.page, await invite(owner.page, slug, viewer.email, "viewer"), slug);

  // The owner: approval never applies to them.
  for (const path of ["/requests", "/keys"]) {
    await owner.page.goto(`/dashboard/${slug}${path}`);
    await expect(owner.page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(owner.page.getByRole("link", { name: "Request a key" })).toHaveCount(0);
    await expect(owner.page.getByText("Request a key when")).toHaveCount(0);
  }
  // The rate-limit hint names the plan's limit (60 a minute on the free plan), not the schema's ceiling.
  await owner.page.getByRole("button", { name: "Generate key" }).click();
  const dialog = owner.page.getByRole("dialog", { name: "Generate API key" });
  await expect(dialog.getByText(/plan's default: 60 requests per minute/)).toBeVisible();
  await expect(dialog.getByText(/100000/)).toHaveCount(0);

  // The developer: admin-scope keys need approval, so requesting is offered.
  await developer.page.goto(`/dashboard/${slug}/requests`);
  await expect(developer.page.getByRole("link", { name: "Request a key" })).toBeVisible();

  // The viewer: no advice to request, and the form's URL refuses clearly.
  await viewer.page.goto(`/dashboard/${slug}/requests`);
  await expect(viewer.page.getByRole("heading", { name: "Key requests" })).toBeVisible();
  await expect(viewer.page.getByRole("link", { name: "Request a key" })).toHaveCount(0);
  await expect(viewer.page.getByText("Request a key when")).toHaveCount(0);
  const response = await viewer.page.goto(`/dashboard/${slug}/requests/new`);
  await expect(viewer.page.getByText("Page not found")).toHaveCount(0);
  if (response?.status() !== 404) await expect(viewer.page.getByText("Viewers cannot request keys.")).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Submit request" })).toHaveCount(0);

  // The administrator: no Suspend on an organization they belong to; other organizations keep it.
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  const adminPage = await admin.newPage();
  const own = await gotoOrg(adminPage);
  await adminPage.goto("/admin");
  const rowOf = (s: string) => adminPage.getByRole("row").filter({ has: adminPage.getByText(s, { exact: true }) });
  await expect(rowOf(slug).getByRole("button", { name: `Suspend ${name}` })).toBeVisible();
  await expect(rowOf(own)).toHaveCount(1);
  await expect(rowOf(own).getByRole("button", { name: /^Suspend/ })).toHaveCount(0);

  for (const c of [owner.context, developer.context, viewer.context, admin]) await c.close();
});
