// Shared steps for user journeys.
import { expect, type Page } from "@playwright/test";

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

// Signs up through the form and waits for the dashboard.
export async function signUp(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
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
