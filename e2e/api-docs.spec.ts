// Journey: a developer opens the API reference at /api/v1/docs; it renders every route of the generated document,
// and everything it loads (script, styles, the document itself) comes from this origin: no CDN, no validator badge.
import { expect, test } from "@playwright/test";

test.use({ storageState: { cookies: [], origins: [] } });

test("the API reference renders the routes from local assets only", async ({ page, baseURL }) => {
  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));

  await page.goto("/api/v1/docs");
  await expect(page.getByRole("heading", { name: /Keyhold API/ })).toBeVisible();
  await expect(page.getByText("/api/v1/whoami", { exact: true })).toBeVisible();
  await expect(page.getByText("/api/v1/verify", { exact: true })).toBeVisible();
  await expect(page.getByText("/api/v1/keys/{id}/rotate", { exact: true })).toBeVisible();

  expect(requested).toContain(`${baseURL}/api/v1/openapi.json`);
  const elsewhere = requested.filter((url) => !url.startsWith(`${baseURL}/`));
  expect(elsewhere).toEqual([]);
});
