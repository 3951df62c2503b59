// Journey: a developer whose admin-scope key needs approval fills the whole Generate dialog and submits it from the
// bottom: the refusal appears beside the Generate button, in a live region, with a link to "Request a key".
import { expect, test } from "@playwright/test";
import { signUpWithMfa } from "./helpers";
import { createOrganization, invite, join, newPerson } from "./team";

test("the Generate dialog's approval refusal shows where the user acts and links to Request a key", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const owner = await newPerson(browser, "refusal-owner");
  const slug = await createOrganization(owner.page, `Refusal ${Date.now()}`);
  await owner.page.goto(`/dashboard/${slug}/settings`);
  await owner.page.getByLabel("Key requests").selectOption("admin_scope");
  await owner.page.getByRole("button", { name: "Save policies" }).click();
  await expect(owner.page.getByText("Policies saved.")).toBeVisible();

  // A developer with MFA (admin-scope keys need it), on a short screen so the dialog scrolls.
  const context = await browser.newContext({ viewport: { width: 1280, height: 600 } });
  const page = await context.newPage();
  const developer = await signUpWithMfa(page, "refusal-dev");
  await join(page, await invite(owner.page, slug, developer.email, "developer"), slug);

  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("needs-approval");
  await dialog.getByRole("checkbox", { name: /^admin/ }).check();
  const generate = dialog.getByRole("button", { name: "Generate", exact: true });
  await generate.scrollIntoViewIfNeeded();
  await generate.click();
  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  const refusal = dialog.getByText("This key needs an administrator's approval");
  await expect(stepUp.or(refusal).first()).toBeVisible();
  if (await stepUp.isVisible()) {
    await stepUp.getByLabel("Authentication code").fill(await developer.app.next(page));
    await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  }
  await expect(refusal).toBeInViewport();
  // Announced: the message sits in a live region that was there before it appeared.
  await expect(
    dialog.locator("[aria-live]").filter({ hasText: "This key needs an administrator's approval" }),
  ).toHaveCount(1);
  await dialog.getByRole("link", { name: "Request a key" }).click();
  await expect(page).toHaveURL(`/dashboard/${slug}/requests/new`);
  await expect(page.getByRole("heading", { name: "Request a key" })).toBeVisible();

  await owner.context.close();
  await context.close();
});
