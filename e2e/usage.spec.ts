// Journeys (see usage-keys.spec.ts for usage made with a key): the usage page's empty state, range validation and CSV export; the overview; the admin changes an organization's plan and suspends/restores an organization and an account.
import { readFileSync } from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import { ADMIN_STATE, gotoOrg, openNav, ORG_HOME, signUp, uniqueEmail, USER_STATE } from "./helpers";

// A page signed in as a brand-new account: the shared one has traffic from other journeys (every key request is usage).
async function newAccountPage(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const slug = await signUp(page, uniqueEmail("no-traffic"));
  return { page, slug, close: () => context.close() };
}

test.describe("usage pages", () => {
  test.use({ storageState: USER_STATE });

  test("the overview and the usage page show the empty state for a new account", async ({ browser }) => {
    const { page, close } = await newAccountPage(browser);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(ORG_HOME);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.getByText("Active keys")).toBeVisible();
    await expect(page.getByText("No requests in this range yet").first()).toBeVisible();
    await page.getByRole("navigation", { name: "Range" }).getByRole("link", { name: "30d" }).click();
    await expect(page).toHaveURL(/range=30d/);
    await expect(page.getByText("Requests by outcome, last 30 days")).toBeVisible();

    await openNav(page, "Usage");
    await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
    await expect(page.getByText("No requests in this range yet").first()).toBeVisible();
    await expect(page.getByText(/Times in /)).toBeVisible();
    await close();
  });

  test("a custom range with the start after the end, or over 400 days, shows the message next to the field", async ({
    page,
  }) => {
    await gotoOrg(page, "/usage");
    await page.getByLabel("Range").selectOption("custom");
    await page.getByLabel("From").fill("2026-03-10T10:00");
    await page.getByLabel("To").fill("2026-03-01T10:00");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator("#field-from-error")).toHaveText("The start must be before the end of the range");
    await expect(page.getByText("Fix the highlighted filter to see usage.")).toBeVisible();

    await page.getByLabel("From").fill("2024-01-01T00:00");
    await page.getByLabel("To").fill("2026-03-01T00:00");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator("#field-to-error")).toHaveText("The range can be at most 400 days");

    await page.getByLabel("From").fill("2026-02-01T00:00");
    await page.getByLabel("To").fill("2026-03-01T00:00");
    await page.getByLabel("Interval").selectOption("minute");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator("#field-interval-error")).toContainText("Too many minute buckets");

    await page.getByLabel("Interval").selectOption("auto");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.locator("#field-from-error")).toHaveText("");
    await expect(page.getByRole("figure")).toContainText("per day");
  });

  test("Download CSV gives the header row for an account without traffic", async ({ browser }) => {
    const { page, slug, close } = await newAccountPage(browser);
    await page.goto(`/dashboard/${slug}/usage?range=7d`);
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^keyhold-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, "utf8");
    expect(text.trim()).toBe("bucket_start,key_id,key_name,key_prefix,outcome,outcome_label,requests,avg_latency_ms");
    await close();
  });
});

test.describe("admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("lists organizations and accounts, changes an organization's plan, suspends and restores an organization and an account", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("governed");
    // The account's personal organization is named after the email's local part.
    const orgName = email.split("@")[0];
    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await signUp(await other.newPage(), email);
    await other.close();

    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
    const organizations = page.getByRole("table", { name: /^Organizations/ });
    await expect(organizations.getByRole("columnheader", { name: "Requests (24 h)", exact: true })).toBeVisible();
    const row = organizations.getByRole("row").filter({ has: page.getByRole("rowheader", { name: orgName }) });
    await expect(row).toContainText("FREE");
    await expect(row).toContainText("Active");

    await row.getByLabel(`Plan for ${orgName}`, { exact: true }).selectOption("PRO");
    await row.getByRole("button", { name: `Change plan for ${orgName}` }).click();
    await expect(row.getByRole("status")).toHaveText("Plan changed to PRO");
    await page.reload();
    await expect(row.getByRole("cell", { name: "PRO", exact: true })).toBeVisible();

    await row.getByRole("button", { name: `Suspend ${orgName}` }).click();
    await expect(row.getByRole("status")).toHaveText("Organization suspended");
    await expect(row.getByRole("cell", { name: "Suspended" })).toBeVisible();
    await row.getByRole("button", { name: `Restore ${orgName}` }).click();
    await expect(row.getByRole("status")).toHaveText("Organization restored");
    await expect(row.getByRole("cell", { name: "Active", exact: true })).toBeVisible();

    const accounts = page.getByRole("table", { name: /^Accounts/ });
    const account = accounts.getByRole("row").filter({ has: page.getByRole("rowheader", { name: email }) });
    await expect(account).toContainText("Active");
    await account.getByRole("button", { name: `Suspend ${email}` }).click();
    await expect(account.getByRole("status")).toHaveText("Account suspended");
    await expect(account.getByRole("cell", { name: "Suspended" })).toBeVisible();
    await account.getByRole("button", { name: `Restore ${email}` }).click();
    await expect(account.getByRole("status")).toHaveText("Account restored");
    await expect(account.getByRole("cell", { name: "Active", exact: true })).toBeVisible();
  });

  test("a regular account gets 404 at /admin", async ({ browser }) => {
    const context = await browser.newContext({ storageState: USER_STATE });
    const page = await context.newPage();
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(404);
    await context.close();
  });
});
