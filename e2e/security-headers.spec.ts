// Journeys: every page carries the security headers; another site cannot frame the keys page; the app's pages run under the CSP.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { gotoOrg, USER_STATE } from "./helpers";

test.use({ storageState: USER_STATE });

// Console errors that report a Content Security Policy violation, collected from every frame of `page`.
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy"))
      violations.push(message.text());
  });
  return violations;
}

test("the keys page and the API carry the security headers", async ({ page, request }) => {
  const slug = await gotoOrg(page);
  const response = await page.goto(`/dashboard/${slug}/keys`);
  await expect(page.getByRole("heading", { name: "Keys", exact: true })).toBeVisible();
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const api = await request.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test.describe("a page on another origin", () => {
  let framer: Server;
  let framerUrl: string;
  // The keys page to frame (the signed-in account's organization), set by the test before the framer is opened.
  let keysUrl = "";

  test.beforeAll(async () => {
    // Same site, other port: the signed-in cookie goes along, so only the headers stand between the frame and the keys.
    framer = createServer((_req, res) => {
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(
        `<!doctype html><title>Framer</title><h1>Another site</h1><iframe title="Keyhold" src="${keysUrl}" width="900" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => framer.listen(0, resolve));
    framerUrl = `http://localhost:${(framer.address() as AddressInfo).port}/`;
  });

  test.afterAll(() => {
    framer.close();
  });

  test("cannot show the keys page in a frame", async ({ page, baseURL }) => {
    keysUrl = `${baseURL}/dashboard/${await gotoOrg(page)}/keys`;
    const violations = cspViolations(page);
    await page.goto(framerUrl);
    await expect(page.getByRole("heading", { name: "Another site" })).toBeVisible();
    // Chrome reports the refusal on the console and shows its error page in the frame instead.
    await expect.poll(() => violations.some((v) => v.includes("frame-ancestors 'none'"))).toBe(true);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    await frame!.waitForLoadState();
    expect(frame!.url()).not.toBe(keysUrl);
    await expect(frame!.getByRole("heading", { name: "Keys", exact: true })).toHaveCount(0);
    await expect(frame!.getByText("Secrets are shown once, when generated or rotated.")).toHaveCount(0);
  });
});

test.describe("pages under the policy", () => {
  test("the sign-in page loads and runs with no CSP violation", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto("/login", { waitUntil: "networkidle" });
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeEditable();
    expect(violations).toEqual([]);
    await context.close();
  });

  test("the dashboard hydrates (its menus open) with no CSP violation", async ({ page }) => {
    const violations = cspViolations(page);
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto("/dashboard", { waitUntil: "networkidle" });
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    // The account menu is a client component: it opens only if the page's scripts ran.
    await page.getByRole("button", { name: /Account menu/ }).click();
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
    await page.keyboard.press("Escape");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
