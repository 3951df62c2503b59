// Journey: the administrator defines the platform permission inference:write; a key generated with it and 3 credits
// passes three gateway verifications that require it and is refused the fourth with USAGE_EXCEEDED; the key page then
// shows 0 credits remaining; an administrator's top-up lets the next verification through, and the edit form sets a
// daily refill or makes the key unlimited.
import { expect, test } from "@playwright/test";
import { E2E_SERVICE_TOKEN } from "../playwright.config";
import { ADMIN_STATE, gotoOrg } from "./helpers";

test.use({ storageState: ADMIN_STATE });

test("a permission from the catalogue and 3 credits: three verifications pass, the fourth is USAGE_EXCEEDED", async ({
  page,
  request,
}) => {
  // The catalogue: add inference:write (idempotent across reruns on one database: skip if it is listed).
  await page.goto("/admin/permissions");
  await expect(page.getByRole("heading", { name: "Permissions" })).toBeVisible();
  if ((await page.getByRole("cell", { name: "inference:write", exact: true }).count()) === 0) {
    const add = page.getByRole("form", { name: "Add permission" });
    await add.getByLabel("Name").fill("inference:write");
    await add.getByLabel("Description").fill("Start completions");
    await add.getByRole("button", { name: "Add permission" }).click();
    await expect(page.getByRole("cell", { name: "inference:write", exact: true })).toBeVisible();
  }

  // A key holding it, with 3 credits and no refill.
  const name = `credits-${Date.now()}`;
  await gotoOrg(page, "/keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Environment").selectOption("test");
  await dialog.getByRole("checkbox", { name: /inference:write/ }).check();
  await dialog.getByLabel("Balance", { exact: true }).fill("3");
  await dialog.getByRole("button", { name: "Generate" }).click();
  const shown = page.getByRole("dialog", { name: "Your new key" });
  const secret = await shown.getByLabel("Your new API key").inputValue();
  expect(secret).toMatch(/^kh_test_/);
  await shown.getByRole("button", { name: "Done" }).click();

  // The gateway: POST /api/v1/verify with the service token, requiring the permission.
  const verify = async (permissions: string[]) => {
    const res = await request.post("/api/v1/verify", {
      headers: { Authorization: `Bearer ${E2E_SERVICE_TOKEN}` },
      data: { key: secret, permissions },
    });
    expect(res.status()).toBe(200);
    return (await res.json()) as { valid: boolean; code: string; credits: { remaining: number } | null };
  };
  // A permission the key lacks is refused before credits are spent.
  expect(await verify(["inference:read"])).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });
  for (const left of [2, 1, 0]) {
    expect(await verify(["inference:write"])).toMatchObject({
      valid: true,
      code: "VALID",
      credits: { remaining: left },
    });
  }
  expect(await verify(["inference:write"])).toMatchObject({
    valid: false,
    code: "USAGE_EXCEEDED",
    credits: { remaining: 0 },
  });

  // The key page: inference:write listed, 0 remaining on the meter.
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("inference:write").first()).toBeVisible();
  await expect(page.getByTestId("credits-remaining")).toHaveText("0");
  await expect(page.getByRole("meter", { name: "Credits remaining" })).toHaveAttribute("aria-valuenow", "0");

  // An administrator adds 2 credits: the next verification passes again.
  const topUp = page.getByRole("form", { name: "Add credits" });
  await topUp.getByLabel("Add credits").fill("2");
  await topUp.getByRole("button", { name: "Add credits" }).click();
  await expect(topUp.getByText("Credits added: 2 remaining.")).toBeVisible();
  await expect(page.getByTestId("credits-remaining")).toHaveText("2");
  expect(await verify(["inference:write"])).toMatchObject({ valid: true, credits: { remaining: 1 } });

  // The edit form sets credits outright with a daily refill; clearing both fields makes the key unlimited.
  const edit = page.getByRole("form", { name: "Edit key" });
  await edit.getByLabel("Balance", { exact: true }).fill("50");
  await edit.getByLabel("Refill to").fill("100");
  await edit.getByLabel("Refill every").selectOption("day");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByText("Saved.")).toBeVisible();
  await expect(page.getByText("Refilled to 100 at the start of every day (UTC).")).toBeVisible();
  await expect(page.getByTestId("credits-remaining")).toHaveText("50");
  expect(await verify(["inference:write"])).toMatchObject({ valid: true, credits: { remaining: 49 } });
  await page.reload();
  await edit.getByLabel("Balance", { exact: true }).fill("");
  await edit.getByLabel("Refill to").fill("");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Unlimited: verifications of this key spend no credits.")).toBeVisible();
  expect(await verify(["inference:write"])).toMatchObject({ valid: true, credits: null });
});
