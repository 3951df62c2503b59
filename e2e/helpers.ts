// Shared steps for user journeys.
import { expect, type Page } from "@playwright/test";
import { generateSync } from "otplib";

export const PASSWORD = "correct horse battery staple";

// Signed-in states saved by the setup project: the instance's first account (ADMIN) and a regular shared account.
export const ADMIN_STATE = "e2e/.auth/admin.json";
export const ADMIN_FILE = "e2e/.auth/admin-email.txt";
export const USER_STATE = "e2e/.auth/user.json";
export const USER_FILE = "e2e/.auth/user-email.txt";

// A unique email for this run.
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

// An organization's overview, /dashboard/<slug>: where /dashboard lands (the organization used last; a new account's
// personal one).
export const ORG_HOME = /\/dashboard\/[a-z0-9-]+$/;

// The organization slug in the current URL (/dashboard/<slug>/…).
export function orgSlug(page: Page): string {
  const slug = new URL(page.url()).pathname.split("/")[2];
  expect(slug).toMatch(/^[a-z0-9-]+$/);
  return slug;
}

// Opens /dashboard (the organization used last), then `path` inside that organization (e.g. "/keys"); returns its slug.
export async function gotoOrg(page: Page, path = ""): Promise<string> {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(ORG_HOME);
  const slug = orgSlug(page);
  if (path) await page.goto(`/dashboard/${slug}${path}`);
  return slug;
}

// Opens a page of the current organization through the shell's navigation ("Keys", "Usage", "Audit log", …) and
// waits until the browser is there: a click on the page before that may land on the previous page's link of the same
// name (the Overview's top keys link to usage under the key's name).
export async function openNav(page: Page, label: string): Promise<void> {
  const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true });
  const href = await link.getAttribute("href");
  await link.click();
  if (href) await page.waitForURL((url) => url.pathname === href);
}

// Signs up through the form and waits for the dashboard (the new account's personal organization); returns its slug.
export async function signUp(page: Page, email: string, password = PASSWORD): Promise<string> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(ORG_HOME);
  return orgSlug(page);
}

// Signs in through the form.
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// Signs out through the account menu.
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

const PERIOD_S = 30;

// Fresh TOTP codes for one secret. The server refuses a code whose 30 s step is not later than the last accepted one
// (replay protection) and accepts one step either side of now, so each call returns the code of the later of
// "now" and "last step + 1"; only if that step would be two ahead does it wait for the current step to end.
export function authenticator(secret: string) {
  let lastStep = -1;
  return {
    async next(page: Page): Promise<string> {
      const nowStep = Math.floor(Date.now() / 1000 / PERIOD_S);
      if (lastStep > nowStep)
        await page.waitForTimeout((PERIOD_S - (Math.floor(Date.now() / 1000) % PERIOD_S) + 1) * 1000);
      const step = Math.max(Math.floor(Date.now() / 1000 / PERIOD_S), lastStep + 1);
      lastStep = step;
      return generateSync({ secret, epoch: step * PERIOD_S });
    },
  };
}

// Signs up a new account and enrols it; returns its email, its organization's slug, the authenticator and the saved
// recovery codes.
export async function signUpWithMfa(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  const slug = await signUp(page, email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is off" })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: /QR code for adding Keyhold/ })).toBeVisible();
  const secret = (await page.getByLabel("Secret key for manual entry").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const app = authenticator(secret);

  await page.getByLabel("Authentication code").fill("12345");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.locator("#enrol-code-error")).toHaveText("Enter the 6-digit code from your authenticator app");
  await page.getByLabel("Authentication code").fill(await app.next(page));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  for (const c of recoveryCodes) expect(c).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
  await expect(page.getByText("These codes are shown only now.")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download .txt" }).click();
  expect((await download).suggestedFilename()).toBe("keyhold-recovery-codes.txt");
  await page.getByRole("button", { name: "I have saved these codes" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is on" })).toBeVisible();
  await expect(page.getByText("10 of 10")).toBeVisible();
  return { email, slug, app, recoveryCodes };
}
