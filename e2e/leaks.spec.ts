// Journey: a member generates a key; someone who found it reports it through the public endpoint (no account, 202 like
// any report); the key is revoked under the default leak response, and the key page and the overview say where it
// was found.
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test("a reported key is revoked and the key page shows the leak banner", async ({ page, request }) => {
  const slug = await signUp(page, uniqueEmail("leak"));
  const name = `leaky-${Date.now()}`;
  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Generate" }).click();
  const shown = page.getByRole("dialog", { name: "Your new key" });
  const secret = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  expect((await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);

  // The public report: the same 202 for the real key and for garbage.
  const url = "https://paste.example/raw/abc123";
  const report = await request.post("/api/v1/leaks/report", { data: { key: secret, url } });
  expect(report.status()).toBe(202);
  const garbage = await request.post("/api/v1/leaks/report", { data: { key: "kh_live_notarealkeyatall" } });
  expect(garbage.status()).toBe(202);
  expect(await garbage.json()).toEqual(await report.json());

  // Handled just after the answer: the key is refused within moments.
  await expect
    .poll(async () =>
      (await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } })).status(),
    )
    .toBe(401);

  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("link", { name, exact: true }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Found in a public place" });
  await expect(banner).toContainText(url);
  await expect(banner).toContainText("revoked");

  await page.goto(`/dashboard/${slug}`);
  await expect(page.getByText("A key was found in a public place")).toBeVisible();
  await expect(page.getByText(name).first()).toBeVisible();
});
