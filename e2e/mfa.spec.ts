// Journeys: enrol TOTP from the manual secret (codes computed here with otplib), sign-in challenge with bad inputs,
// a wrong and a right code, recovery codes that work once, and turning MFA off.
import { expect, test, type Page } from "@playwright/test";
import { ORG_HOME, PASSWORD, signIn, signOut, signUpWithMfa } from "./helpers";

// Submits the challenge form with one code.
async function submitCode(page: Page, label: "Authentication code" | "Recovery code", code: string) {
  await page.getByLabel(label).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("enrol from the manual secret; sign-in then needs the code, refuses bad input and a wrong code, accepts the right one", async ({
  page,
}) => {
  const { email, slug, app } = await signUpWithMfa(page, "mfa-enrol");
  await signOut(page);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa\?next=%2Fdashboard$/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  // Until the code passes, nothing under /dashboard opens.
  await page.goto(`/dashboard/${slug}/keys`);
  await expect(page).toHaveURL(new RegExp(`/login/mfa\\?next=%2Fdashboard%2F${slug}%2Fkeys$`));

  for (const bad of ["abcdef", "12345", "1234567"]) {
    await submitCode(page, "Authentication code", bad);
    await expect(page.locator("#mfa-code-error")).toHaveText("Enter the 6-digit code from your authenticator app");
  }
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", "not-a-code");
  await expect(page.locator("#mfa-code-error")).toHaveText(
    "Enter a recovery code: 10 letters and digits, like abcde-12345",
  );
  await page.getByRole("button", { name: "Use your authenticator app instead" }).click();

  // Malformed input did not count: the first wrong code still leaves 4 attempts.
  await submitCode(page, "Authentication code", "000000");
  await expect(page.locator("#mfa-code-error")).toHaveText(
    "That code is incorrect. 4 attempts left before two-factor authentication is locked for 15 minutes.",
  );
  await expect(page).toHaveURL(/\/login\/mfa/);

  await submitCode(page, "Authentication code", await app.next(page));
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/keys$`));
  await page.goto("/dashboard");
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("a recovery code signs in once and not twice; MFA can be turned off with a recovery code", async ({ page }) => {
  const { email, recoveryCodes } = await signUpWithMfa(page, "mfa-recovery");
  await signOut(page);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", recoveryCodes[0].toUpperCase());
  await expect(page).toHaveURL(ORG_HOME);
  await signOut(page);

  await signIn(page, email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", recoveryCodes[0]);
  await expect(page.locator("#mfa-code-error")).toHaveText(
    /^That recovery code is not valid or has already been used\./,
  );
  await expect(page).toHaveURL(/\/login\/mfa/);
  await submitCode(page, "Recovery code", recoveryCodes[1]);
  await expect(page).toHaveURL(ORG_HOME);

  await page.goto("/dashboard/settings/security");
  await expect(page.getByText("8 of 10")).toBeVisible();
  const disable = page.getByRole("region", { name: "Turn off two-factor authentication" });
  await disable.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.locator("#disable-password-error")).toHaveText("Enter your password");
  await disable.getByLabel("Password").fill(PASSWORD);
  await disable.getByRole("button", { name: "Use a recovery code instead" }).click();
  await disable.getByLabel("Recovery code").fill(recoveryCodes[2]);
  await disable.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.getByRole("heading", { name: "Two-factor authentication is off" })).toBeVisible();

  await signOut(page);
  await signIn(page, email);
  await expect(page).toHaveURL(ORG_HOME);
});
