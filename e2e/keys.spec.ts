// Journeys: generate a key in the dashboard, use it against the API, revoke it; the secret is never shown again;
// bad input in the generate form shows field errors and creates nothing.
import { expect, test, type Page } from "@playwright/test";
// The signed-in account written by the setup project (auth.setup.ts).
import { gotoOrg, openNav, orgSlug, USER_STATE } from "./helpers";

test.use({ storageState: USER_STATE });

function uniqueName(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e4)}`;
}

// The keys page of the account's organization (the one /dashboard opens).
async function openGenerate(page: Page) {
  await gotoOrg(page, "/keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function keyRows(page: Page, name: string) {
  await gotoOrg(page, "/keys");
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name, exact: true }) })
    .count();
}

test("generate a key, call the API with it, revoke it; the secret is gone after the dialog closes", async ({
  page,
  request,
}) => {
  const name = uniqueName("journey");
  const dialog = await openGenerate(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Environment").selectOption("test");
  await dialog.getByRole("checkbox", { name: /^write/ }).check();
  await dialog.getByLabel("Expires").selectOption("30");
  await dialog.getByRole("button", { name: "Generate" }).click();

  const shown = page.getByRole("dialog", { name: "Your new key" });
  await expect(shown.getByText("It will not be shown again")).toBeVisible();
  const secret = await shown.getByLabel("Your new API key").inputValue();
  expect(secret).toMatch(/^kh_test_[0-9A-Za-z]{38}$/);

  const ok = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(body.key).toMatchObject({ name, environment: "test", scopes: ["read", "write"], prefix: secret.slice(0, 12) });
  expect(body.clientId).toMatch(/^kh_client_/);

  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  await page.reload();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(secret);
  const source = await (await page.request.get(`/dashboard/${orgSlug(page)}/keys`)).text();
  expect(source).toContain(name);
  expect(source).not.toContain(secret);
  expect(source).not.toContain(secret.slice(12));

  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.getByRole("button", { name: "Revoke key" }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await confirm.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();

  const refused = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("revoked_key");
  expect(await page.content()).not.toContain(secret.slice(12));

  await openNav(page, "Audit log");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Key revoked" }).filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: "Key created" }).filter({ hasText: name })).toHaveCount(1);
  expect(await page.content()).not.toContain(secret.slice(12));
});

test("rotate with a grace period: the new secret is shown once and both work during the grace", async ({
  page,
  request,
}) => {
  const name = uniqueName("rotate");
  const dialog = await openGenerate(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Generate" }).click();
  const oldSecret = await page.getByLabel("Your new API key").inputValue();
  await page.getByRole("button", { name: "Done" }).click();

  await page.getByRole("link", { name, exact: true }).click();
  await page.getByRole("button", { name: "Rotate key" }).click();
  const rotate = page.getByRole("dialog", { name: `Rotate “${name}”` });
  await rotate.getByLabel("Old secret keeps working for").selectOption("3600");
  await rotate.getByRole("button", { name: "Rotate" }).click();
  const newSecret = await page
    .getByRole("dialog", { name: "Your rotated key" })
    .getByLabel("Your new API key")
    .inputValue();
  expect(newSecret).not.toBe(oldSecret);
  for (const secret of [oldSecret, newSecret]) {
    expect((await request.get("/api/v1/whoami", { headers: { "X-API-Key": secret } })).status()).toBe(200);
  }
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  await page.reload();
  expect(await page.content()).not.toContain(newSecret.slice(12));
});

test("edit a key's name and scopes; the API sees the change at once", async ({ page, request }) => {
  const name = uniqueName("edit");
  const dialog = await openGenerate(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: /^write/ }).check();
  await dialog.getByRole("button", { name: "Generate" }).click();
  const secret = await page.getByLabel("Your new API key").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  const headers = { Authorization: `Bearer ${secret}` };
  expect((await (await request.get("/api/v1/whoami", { headers })).json()).key.scopes).toEqual(["read", "write"]);

  await page.getByRole("link", { name, exact: true }).click();
  const form = page.getByRole("form", { name: "Edit key" });
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Nothing to save: change the name, scopes, permissions, expiry or credits first.",
  );
  await form.getByLabel("Name").fill("");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.locator("#field-name-error")).toHaveText("Name is required");
  await form.getByLabel("Name").fill(`${name}-renamed`);
  await form.getByRole("checkbox", { name: /^write/ }).uncheck();
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("heading", { name: `${name}-renamed` })).toBeVisible();
  const after = (await (await request.get("/api/v1/whoami", { headers })).json()).key;
  expect(after).toMatchObject({ name: `${name}-renamed`, scopes: ["read"] });
});

test.describe("generate form field errors create nothing", () => {
  test("empty name", async ({ page }) => {
    const dialog = await openGenerate(page);
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.locator("#field-name-error")).toHaveText("Name is required");
    await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  });

  test("no scope", async ({ page }) => {
    const name = uniqueName("noscope");
    const dialog = await openGenerate(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("checkbox", { name: /^read/ }).uncheck();
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.locator("#field-scopes-error")).toHaveText("Choose at least one scope");
    expect(await keyRows(page, name)).toBe(0);
  });

  test("past custom expiry", async ({ page }) => {
    const name = uniqueName("past");
    const dialog = await openGenerate(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Expires").selectOption("custom");
    await dialog.getByLabel("Expiry date").fill("2020-01-01");
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.locator("#field-expiryDate-error")).toHaveText("Expiry must be in the future");
    expect(await keyRows(page, name)).toBe(0);
  });

  test("duplicate active name (checked by the server)", async ({ page }) => {
    const name = uniqueName("dup");
    let dialog = await openGenerate(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Generate" }).click();
    await page.getByRole("button", { name: "Done" }).click();
    dialog = await openGenerate(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.locator("#field-name-error")).toHaveText("An active key with this name already exists");
    expect(await keyRows(page, name)).toBe(1);
  });

  test("admin scope without two-factor: warned up front, refused by the server", async ({ page }) => {
    const name = uniqueName("admin");
    const dialog = await openGenerate(page);
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("checkbox", { name: /^admin/ }).check();
    await expect(dialog.getByText("Admin-scope keys need two-factor authentication")).toBeVisible();
    await dialog.getByRole("button", { name: "Generate" }).click();
    await expect(dialog.getByRole("alert")).toContainText("requires two-factor authentication");
    await expect(
      dialog.getByRole("alert").getByRole("link", { name: "Set up two-factor authentication" }),
    ).toHaveAttribute("href", "/dashboard/settings/security");
    expect(await keyRows(page, name)).toBe(0);
  });
});
