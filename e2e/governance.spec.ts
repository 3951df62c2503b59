// Journeys: restrict a key to an address range on its page (MFA step-up), see the normalisation before saving and the
// normalised list after; an invalid entry shows its error and saves nothing; the API then refuses this machine's
// address. Without two-factor authentication the allowlist says so up front; a key's own rate limit reaches the API.
import { expect, test, type Page } from "@playwright/test";
import { gotoOrg, openNav, ORG_HOME, signIn, signOut, signUpWithMfa, USER_STATE } from "./helpers";

function uniqueName(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e4)}`;
}

// Generates a read key through the dialog in the organization /dashboard opens, and returns its secret (closing the
// dialog).
async function generateKey(page: Page, name: string): Promise<string> {
  await gotoOrg(page, "/keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Generate" }).click();
  const secret = await page.getByRole("dialog", { name: "Your new key" }).getByLabel("Your new API key").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

test("add an allowlist entry with step-up: normalised before and after saving; an invalid entry saves nothing; the API refuses this address", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { email, app, recoveryCodes } = await signUpWithMfa(page, "governance");
  const name = uniqueName("office-only");
  const secret = await generateKey(page, name);
  expect((await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);

  // Signing in with a recovery code is no step-up, so saving the allowlist asks for a code.
  await signOut(page);
  await signIn(page, email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(ORG_HOME);

  await openNav(page, "Keys");
  await page.getByRole("link", { name, exact: true }).click();
  const form = page.getByRole("form", { name: "IP allowlist" });
  await expect(form.getByText("requires two-factor authentication")).toHaveCount(0);
  await form.getByRole("button", { name: "Add address or range" }).click();
  await form.getByLabel("Address or range 1").fill("10.0.0.1/24");
  await expect(form.getByText("Will be saved as 10.0.0.0/24")).toBeVisible();
  await form.getByLabel("Note for entry 1").fill("office");
  await form.getByRole("button", { name: "Save allowlist" }).click();

  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await stepUp.getByLabel("Authentication code").fill(await app.next(page));
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  await expect(form.getByText("IP allowlist saved.")).toBeVisible();
  await expect(form.getByLabel("Address or range 1")).toHaveValue("10.0.0.0/24");
  await page.reload();
  await expect(form.getByLabel("Address or range 1")).toHaveValue("10.0.0.0/24");
  await expect(form.getByLabel("Note for entry 1")).toHaveValue("office");

  await form.getByRole("button", { name: "Add address or range" }).click();
  await form.getByLabel("Address or range 2").fill("10.0.0.300");
  await form.getByRole("button", { name: "Save allowlist" }).click();
  await expect(form.locator("#ipAllowlist-1-msg")).toHaveText("10.0.0.300 is not an IP address");
  await expect(form.getByText("IP allowlist saved.")).toHaveCount(0);
  await page.reload();
  await expect(form.getByLabel("Address or range 1")).toHaveValue("10.0.0.0/24");
  await expect(form.getByLabel("Address or range 2")).toHaveCount(0);

  // This test runs on 127.0.0.1 / ::1, outside 10.0.0.0/24.
  const refused = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("ip_not_allowed");

  await openNav(page, "Audit log");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Key updated" }).filter({ hasText: name })).toHaveCount(1);
});

test.describe("without two-factor authentication", () => {
  test.use({ storageState: USER_STATE });

  test("the allowlist says it requires two-factor authentication and links to Security; a key's own rate limit reaches the API", async ({
    page,
    request,
  }) => {
    await gotoOrg(page, "/keys");
    await page.getByRole("button", { name: "Generate key" }).click();
    const dialog = page.getByRole("dialog", { name: "Generate API key" });
    await expect(dialog.getByText("Editing the IP allowlist requires two-factor authentication")).toBeVisible();
    await expect(dialog.getByRole("link", { name: "Set it up in Security settings" })).toHaveAttribute(
      "href",
      "/dashboard/settings/security",
    );
    await expect(dialog.getByRole("button", { name: "Add address or range" })).toBeDisabled();
    await expect(dialog.getByText("Leave blank for your plan's default: 60 requests per minute.")).toBeVisible();
    await page.keyboard.press("Escape");

    const name = uniqueName("limited");
    const secret = await generateKey(page, name);
    await page.getByRole("link", { name, exact: true }).click();
    const allowlist = page.getByRole("form", { name: "IP allowlist" });
    await expect(allowlist.getByText("Editing the IP allowlist requires two-factor authentication")).toBeVisible();
    await expect(allowlist.getByRole("link", { name: "Set it up in Security settings" })).toHaveAttribute(
      "href",
      "/dashboard/settings/security",
    );
    await expect(allowlist.getByRole("button", { name: "Save allowlist" })).toBeDisabled();

    const limit = page.getByRole("form", { name: "Rate limit" });
    await limit.getByLabel("Rate limit (requests per minute)").fill("0");
    await limit.getByRole("button", { name: "Save rate limit" }).click();
    await expect(limit.locator("#field-rateLimit-error")).toHaveText(
      "Rate limit must be at least 1 request per minute",
    );
    await page.reload();
    await expect(limit.getByLabel("Rate limit (requests per minute)")).toHaveValue("");
    await limit.getByLabel("Rate limit (requests per minute)").fill("5");
    await limit.getByRole("button", { name: "Save rate limit" }).click();
    await expect(limit.getByText("Rate limit saved.")).toBeVisible();

    const res = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status()).toBe(200);
    expect(res.headers()["x-ratelimit-limit"]).toBe("5");
    expect(res.headers()["x-ratelimit-remaining"]).toBe("4");
  });
});
