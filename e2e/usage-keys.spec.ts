// Journey: a key generated in the dashboard makes requests; the usage page's totals table, the CSV and the key's chart
// show exactly those requests; an administrator suspends the account's organization (the key is refused at once),
// restores it, and revokes the key from the All keys page.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN_STATE, signUp, uniqueEmail } from "./helpers";

const VALID = 4;
const REFUSED = 3;

async function whoami(request: APIRequestContext, secret: string) {
  const res = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  return {
    status: res.status(),
    code: res.ok() ? null : ((await res.json()) as { error: { code: string } }).error.code,
  };
}

test("requests made with a key show up in the totals table, the CSV and the key's chart; the admin suspends, restores and revokes", async ({
  browser,
  request,
}) => {
  // A fresh account, so its usage is exactly what this journey makes.
  const email = uniqueEmail("usage-keys");
  // The account's personal organization, named after the email's local part, owns the key.
  const orgName = email.split("@")[0];
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const slug = await signUp(page, email);

  const name = `metered-${Date.now()}`;
  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Environment").selectOption("test");
  await expect(dialog.getByRole("checkbox", { name: /^read/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Generate" }).click();
  const shown = page.getByRole("dialog", { name: "Your new key" });
  const secret = await shown.getByLabel("Your new API key").inputValue();
  expect(secret).toMatch(/^kh_test_/);
  await shown.getByRole("button", { name: "Done" }).click();

  for (let i = 0; i < VALID; i++) expect(await whoami(request, secret)).toEqual({ status: 200, code: null });
  for (let i = 0; i < REFUSED; i++) {
    // A read-only key may not create keys.
    const res = await request.post("/api/v1/keys", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { name: `nope-${i}`, environment: "test", scopes: ["read"] },
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("insufficient_scope");
  }

  // The batch writer flushes at least once a second: reload until the totals show up, then they must be exact.
  await page.waitForTimeout(1500);
  const table = page.getByRole("table", { name: "Totals by key and outcome" });
  await expect(async () => {
    await page.goto(`/dashboard/${slug}/usage?range=24h`);
    await expect(table).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(table.getByRole("columnheader")).toHaveText([
    "Key",
    "Valid",
    "Insufficient scope",
    "Total",
    "Credits spent",
    "Avg latency",
  ]);
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${name}`) }) });
  // whoami spends no credits (Keyhold's own API has cost 0), so the key's credits spent are 0.
  await expect(row.getByRole("cell")).toHaveText([String(VALID), String(REFUSED), String(VALID + REFUSED), "0", /ms$/]);
  const footer = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "All keys" }) });
  await expect(footer.getByRole("cell")).toHaveText([
    String(VALID),
    String(REFUSED),
    String(VALID + REFUSED),
    "0",
    /ms$/,
  ]);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const lines = readFileSync((await (await download).path())!, "utf8")
    .trim()
    .split("\r\n");
  expect(lines[0]).toBe("bucket_start,key_id,key_name,key_prefix,outcome,outcome_label,requests,avg_latency_ms");
  const csv: Record<string, number> = {};
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    expect(cells[2]).toBe(name);
    csv[cells[4]] = (csv[cells[4]] ?? 0) + Number(cells[6]);
  }
  expect(csv).toEqual({ valid: VALID, insufficient_scope: REFUSED });

  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(
    page.getByRole("img", {
      name: `Requests with this key, last 7 days: ${VALID + REFUSED} requests, stacked by outcome`,
    }),
  ).toBeVisible();
  await context.close();

  // The administrator (the instance's first account) suspends the organization: the key is refused on the next request.
  const adminContext = await browser.newContext({ storageState: ADMIN_STATE });
  const admin = await adminContext.newPage();
  await admin.goto("/admin");
  const organization = admin
    .getByRole("table", { name: /^Organizations/ })
    .getByRole("row")
    .filter({ has: admin.getByRole("rowheader", { name: orgName }) });
  await organization.getByRole("button", { name: `Suspend ${orgName}` }).click();
  await expect(organization.getByRole("status")).toHaveText("Organization suspended");
  expect(await whoami(request, secret)).toEqual({ status: 403, code: "account_suspended" });
  await organization.getByRole("button", { name: `Restore ${orgName}` }).click();
  await expect(organization.getByRole("status")).toHaveText("Organization restored");
  expect(await whoami(request, secret)).toEqual({ status: 200, code: null });

  // All keys: find it by its prefix, revoke it after confirming; the key is refused at once.
  await admin.getByRole("link", { name: "All keys" }).click();
  await expect(admin.getByRole("heading", { name: "All keys" })).toBeVisible();
  await admin.getByLabel("Search keys").fill(secret.slice(0, 12));
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin).toHaveURL(/\/admin\/keys\?q=kh_test_/);
  const keyRow = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name }) });
  await expect(keyRow).toContainText(orgName);
  await expect(keyRow).toContainText("Active");
  await keyRow.getByRole("button", { name: `Revoke ${name} of ${orgName}` }).click();
  const confirm = admin.getByRole("dialog", { name: `Revoke “${name}” of ${orgName}?` });
  await confirm.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(confirm).toBeHidden();
  await expect(keyRow).toContainText("Revoked");
  expect(await whoami(request, secret)).toEqual({ status: 401, code: "revoked_key" });

  // A name search finds it too, with its organization.
  await admin.getByLabel("Search keys").fill(name.toUpperCase());
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name }) })).toContainText(orgName);
  await adminContext.close();
});
