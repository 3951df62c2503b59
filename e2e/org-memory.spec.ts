// Journey: a developer joins an organization from an invitation, then opens the account pages (Security): the shell
// keeps the organization they came from (switcher and "Keys" link), on client navigation and after a reload.
import { expect, test, type Page } from "@playwright/test";
import { openNav } from "./helpers";
import { createOrganization, invite, join, newPerson } from "./team";

async function expectShellOn(page: Page, slug: string, name: string) {
  await expect(page.getByRole("button", { name: `Organization: ${name}` })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys", exact: true }),
  ).toHaveAttribute("href", `/dashboard/${slug}/keys`);
}

test("account pages keep the organization the user came from", async ({ browser }) => {
  const owner = await newPerson(browser, "memory-owner");
  const name = `Memory ${Date.now()}`;
  const slug = await createOrganization(owner.page, name);
  const developer = await newPerson(browser, "memory-dev");
  await join(developer.page, await invite(owner.page, slug, developer.email, "developer"), slug);

  const page = developer.page;
  await expectShellOn(page, slug, name);
  await openNav(page, "Security");
  await expect(page).toHaveURL(/\/dashboard\/settings\/security$/);
  await expectShellOn(page, slug, name);
  await page.reload();
  await expectShellOn(page, slug, name);
  await openNav(page, "Keys");
  await expect(page).toHaveURL(`/dashboard/${slug}/keys`);

  await owner.context.close();
  await developer.context.close();
});
