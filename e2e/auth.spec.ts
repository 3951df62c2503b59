// Journeys: sign up, sign out, sign in; sign-in errors; sign-up field errors that create nothing; anonymous redirect.
import { expect, test } from "@playwright/test";
import { ORG_HOME, PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("sign up, land on the dashboard, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("journey");
  const slug = await signUp(page, email);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys", exact: true }),
  ).toBeVisible();
  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);
  await signIn(page, email);
  // /dashboard opens the organization used last: the account's personal one.
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});

test("a wrong password shows the error and stays on the sign-in page", async ({ page }) => {
  const email = uniqueEmail("wrongpw");
  await signUp(page, email);
  await signOut(page);
  await signIn(page, email, "this is not my password");
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(/\/login/);
});

test("an anonymous visit to /dashboard redirects to /login", async ({ page }) => {
  await page.goto("/dashboard/acme/keys");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%2Facme%2Fkeys/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test.describe("sign-up field errors create nothing", () => {
  async function fill(page: import("@playwright/test").Page, email: string, password: string, confirm: string) {
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Confirm password").fill(confirm);
    await page.getByRole("button", { name: "Create account" }).click();
  }

  test("invalid email", async ({ page }) => {
    await fill(page, "not-an-email", PASSWORD, PASSWORD);
    await expect(page.locator("#field-email-error")).toHaveText("Enter a valid email address");
    await expect(page).toHaveURL(/\/signup$/);
  });

  test("short password", async ({ page }) => {
    const email = uniqueEmail("short");
    await fill(page, email, "short", "short");
    await expect(page.locator("#field-password-error")).toHaveText("Password must be at least 12 characters");
    await signIn(page, email, "short");
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  });

  test("mismatched confirmation", async ({ page }) => {
    const email = uniqueEmail("mismatch");
    await fill(page, email, PASSWORD, PASSWORD + "x");
    await expect(page.locator("#field-confirmPassword-error")).toHaveText("Passwords do not match");
    await signIn(page, email, PASSWORD);
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
  });

  test("already-registered email", async ({ page, browser }) => {
    const email = uniqueEmail("taken");
    const other = await browser.newContext();
    await signUp(await other.newPage(), email);
    await other.close();
    await fill(page, email, "a different password", "a different password");
    await expect(page.locator("#field-email-error")).toHaveText("An account with this email already exists");
    await signIn(page, email, "a different password");
    await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");
    await signIn(page, email, PASSWORD);
    await expect(page).toHaveURL(ORG_HOME);
  });
});
