// Journey through the details that made the dashboard look unfinished: the first-key call to action, no Transfer
// ownership for a lone owner, an SVG bell, the approval queue at 1280 px, a key page that says who created the key and
// that it came from an approved request (and "Credits" once), a sidebar as tall as the page, and /favicon.ico.
import { expect, test } from "@playwright/test";
import { createOrganization, invite, join, newPerson } from "./team";

test("the finishing details: call to action, icons, key origin, queue layout, sidebar, favicon", async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/^image\//);

  const owner = await newPerson(browser, "finish-owner", { width: 1280, height: 800 });
  const name = `Finish ${Date.now()}`;
  const slug = await createOrganization(owner.page, name);
  const page = owner.page;

  // A new organization starts with the call to create its first key; the bell is an SVG icon, not an emoji.
  await page.getByRole("link", { name: "Create your first key" }).click();
  await expect(page).toHaveURL(`/dashboard/${slug}/keys`);
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell.locator("svg")).toHaveCount(1);
  await expect(bell).not.toContainText("🔔");
  // A lone owner has nobody to transfer ownership to: no (disabled) button.
  await page.goto(`/dashboard/${slug}/members`);
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Transfer ownership" })).toHaveCount(0);

  // Every developer key needs approval: the developer requests one, the owner approves it.
  await page.goto(`/dashboard/${slug}/settings`);
  await page.getByLabel("Key requests").selectOption("always");
  await page.getByRole("button", { name: "Save policies" }).click();
  await expect(page.getByText("Policies saved.")).toBeVisible();
  const developer = await newPerson(browser, "finish-dev");
  await join(developer.page, await invite(page, slug, developer.email, "developer"), slug);
  await developer.page.goto(`/dashboard/${slug}/requests/new`);
  await developer.page.getByLabel("Name").fill("from-a-request");
  await developer.page.getByLabel("Reason").fill("The billing service needs to read usage");
  await developer.page.getByRole("button", { name: "Submit request" }).click();
  await expect(developer.page).toHaveURL(`/dashboard/${slug}/requests`);

  // The queue at 1280 px: the requester's email and the key name each on one line.
  await page.goto(`/dashboard/${slug}/requests`);
  const row = page.getByRole("row").filter({ hasText: "from-a-request" });
  for (const text of [developer.email, "from-a-request"]) {
    const lines = await row
      .getByText(text, { exact: false })
      .first()
      .evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        // Line boxes: text of another size on the same line starts a few pixels lower, a new line a line-height lower.
        const tops = [...range.getClientRects()].map((r) => r.top).sort((a, b) => a - b);
        return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 10).length;
      });
    expect(lines, text).toBe(1);
  }
  await row.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("No pending requests")).toBeVisible();
  await developer.page.reload();
  await developer.page.getByRole("button", { name: "Reveal key" }).click();
  const shown = developer.page.getByRole("dialog", { name: "Your new key" });
  await shown.getByRole("button", { name: "Done" }).click();

  // The key page: who created it, that it came from an approved request, "Credits" once.
  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("link", { name: "from-a-request" }).click();
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByText(developer.email)).toBeVisible();
  await expect(details.getByText(/From an approved key request/)).toBeVisible();
  await expect(page.getByText("Credits", { exact: true })).toHaveCount(1);

  // The sidebar's background runs the page's full height, scrolled to the end.
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
  const [asideBottom, pageHeight] = await page.evaluate(() => [
    document.querySelector("aside")!.getBoundingClientRect().bottom + window.scrollY,
    document.scrollingElement!.scrollHeight,
  ]);
  expect(pageHeight).toBeGreaterThan(800);
  expect(asideBottom).toBeGreaterThanOrEqual(pageHeight - 1);

  await owner.context.close();
  await developer.context.close();
});
