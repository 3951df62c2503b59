// Journeys: enrol TOTP from the manual secret (codes computed here with otplib), sign-in challenge with bad inputs,
// a wrong and a right code, recovery codes that work once, and turning MFA off.
import { expect, test, type Page } from "@playwright/test";
import { generateSync } from "otplib";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./helpers";

const PERIOD_S = 30;

// Fresh TOTP codes for one secret. The server refuses a code whose 30 s step is not later than the last accepted one
// (replay protection) and accepts one step either side of now, so each call returns the code of the later of
// "now" and "last step + 1"; only if that step would be two ahead does it wait for the current step to end.
function authenticator(secret: string) {
  let lastStep = -1;
  return {
    async next(page: Page): Promise<string> {
      const nowStep = Math.floor(Date.now() / 1000 / PERIOD_S);
      if (lastStep > nowStep) await page.waitForTimeout((PERIOD_S - (Math.floor(Date.now() / 1000) % PERIOD_S) + 1) * 1000);
      const step = Math.max(Math.floor(Date.now() / 1000 / PERIOD_S), lastStep + 1);
      lastStep = step;
      return generateSync({ secret, epoch: step * PERIOD_S });
    },
  };
}

// Signs up a new account and enrols it; returns the authenticator and the saved recovery codes.
async function signUpWithMfa(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email);
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
  return { email, app, recoveryCodes };
}

// Submits the challenge form with one code.
async function submitCode(page: Page, label: "Authentication code" | "Recovery code", code: string) {
  await page.getByLabel(label).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("enrol from the manual secret; sign-in then needs the code, refuses bad input and a wrong code, accepts the right one", async ({ page }) => {
  const { email, app } = await signUpWithMfa(page, "mfa-enrol");
  await signOut(page);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa\?next=%2Fdashboard$/);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  // Until the code passes, nothing under /dashboard opens.
  await page.goto("/dashboard/keys");
  await expect(page).toHaveURL(/\/login\/mfa\?next=%2Fdashboard%2Fkeys$/);

  for (const bad of ["abcdef", "12345", "1234567"]) {
    await submitCode(page, "Authentication code", bad);
    await expect(page.locator("#mfa-code-error")).toHaveText("Enter the 6-digit code from your authenticator app");
  }
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", "not-a-code");
  await expect(page.locator("#mfa-code-error")).toHaveText("Enter a recovery code: 10 letters and digits, like abcde-12345");
  await page.getByRole("button", { name: "Use your authenticator app instead" }).click();

  // Malformed input did not count: the first wrong code still leaves 4 attempts.
  await submitCode(page, "Authentication code", "000000");
  await expect(page.locator("#mfa-code-error")).toHaveText(
    "That code is incorrect. 4 attempts left before two-factor authentication is locked for 15 minutes.",
  );
  await expect(page).toHaveURL(/\/login\/mfa/);

  await submitCode(page, "Authentication code", await app.next(page));
  await expect(page).toHaveURL(/\/dashboard\/keys$/);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("a recovery code signs in once and not twice; MFA can be turned off with a recovery code", async ({ page }) => {
  const { email, recoveryCodes } = await signUpWithMfa(page, "mfa-recovery");
  await signOut(page);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", recoveryCodes[0].toUpperCase());
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);

  await signIn(page, email);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await submitCode(page, "Recovery code", recoveryCodes[0]);
  await expect(page.locator("#mfa-code-error")).toHaveText(/^That recovery code is not valid or has already been used\./);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await submitCode(page, "Recovery code", recoveryCodes[1]);
  await expect(page).toHaveURL(/\/dashboard$/);

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
  await expect(page).toHaveURL(/\/dashboard$/);
});
