// Journey: the instance administrator writes the forward-authentication route table on /admin/routes. An unknown
// permission is refused next to the field, naming where; the saved table is listed most specific first; the tester
// names the route a request meets; and /api/v1/authorize (as a proxy calls it) applies the table: a public route passes
// without a key, a route that needs one answers 401 with the JSON error, an unmatched path is denied by default.
import { expect, test } from "@playwright/test";
import { E2E_SERVICE_TOKEN } from "../playwright.config";
import { ADMIN_STATE } from "./helpers";

test.use({ storageState: ADMIN_STATE });

const table = (permission: string) =>
  JSON.stringify({
    default: "deny",
    routes: [
      { method: "GET", path: "/e2e/v1/models/*", scope: "read" },
      { method: "GET", path: "/e2e/v1/models/:id", scope: "read", cost: 2 },
      { method: "GET", path: "/e2e/v1/status", public: true },
      { method: "POST", path: "/e2e/v1/chat/*", scope: "write", permissions: [permission] },
    ],
  });

test("the route table: refused with the problem named, saved, ordered, tested, and applied by /api/v1/authorize", async ({
  page,
  request,
}) => {
  await page.goto("/admin/routes");
  await expect(page.getByRole("heading", { name: "Routes", exact: true })).toBeVisible();
  const editor = page.getByRole("form", { name: "Route table" });
  const field = editor.getByLabel("Route table (JSON)");

  // Not JSON, then a permission the catalogue does not hold: each refused at the field, nothing saved.
  await field.fill("{ not json");
  await editor.getByRole("button", { name: "Save table" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(editor.getByText(/Not JSON/)).toBeVisible();
  await field.fill(table("nosuch:permission"));
  await editor.getByRole("button", { name: "Save table" }).click();
  await expect(editor.getByText(/nosuch:permission/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "/e2e/v1/status", exact: true })).toHaveCount(0);

  // Without permissions on the chat route (the catalogue may be empty on a fresh database): saved and listed.
  await field.fill(table("nosuch:permission").replace(',"permissions":["nosuch:permission"]', ""));
  await editor.getByRole("button", { name: "Save table" }).click();
  await expect(editor.getByText("Saved 4 routes.")).toBeVisible();
  await page.reload();
  const rows = page.getByRole("table").getByRole("row");
  const paths = (await rows.allInnerTexts()).slice(1).map((r) => r.split(/\s+/)[1]);
  // Most specific first: the literal /e2e/v1/status and :id before the * patterns.
  expect(paths.indexOf("/e2e/v1/models/:id")).toBeLessThan(paths.indexOf("/e2e/v1/models/*"));
  expect(paths).toContain("/e2e/v1/status");

  // The tester names the winning pattern.
  const tester = page.getByRole("form", { name: "Test a route" });
  await tester.getByLabel("Method").selectOption("GET");
  await tester.getByLabel("Path").fill("/e2e/v1/models/gpt-4");
  await tester.getByRole("button", { name: "Which route matches?" }).click();
  await expect(tester.getByRole("status")).toHaveText(/→ GET \/e2e\/v1\/models\/:id: a valid key, scope read, cost 2/);
  await tester.getByLabel("Path").fill("/elsewhere");
  await tester.getByRole("button", { name: "Which route matches?" }).click();
  await expect(tester.getByRole("status")).toHaveText(/no route: refused/);

  // The proxy's question, as nginx asks it.
  const ask = (method: string, uri: string, key?: string) =>
    request.get("/api/v1/authorize", {
      headers: {
        "X-Keyhold-Service-Token": E2E_SERVICE_TOKEN,
        "X-Original-Method": method,
        "X-Original-URI": uri,
        ...(key ? { "X-API-Key": key } : {}),
      },
    });
  expect((await ask("GET", "/e2e/v1/status")).status()).toBe(200);
  const noKey = await ask("GET", "/e2e/v1/models/gpt-4");
  expect(noKey.status()).toBe(401);
  expect((await noKey.json()).error.code).toBeTruthy();
  expect(noKey.headers()["www-authenticate"]).toContain("Bearer");
});
