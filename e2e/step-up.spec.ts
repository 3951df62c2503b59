// Journey: with MFA on and no recent code, generating and revoking a key ask for a code inline, then complete.
import { expect, test, type Page } from "@playwright/test";
import { openNav, ORG_HOME, signIn, signOut, signUpWithMfa } from "./helpers";

// Signs in with a recovery code: the session is verified but has had no TOTP check, so key actions need a step-up.
async function signInWithRecoveryCode(page: Page, email: string, code: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(ORG_HOME);
}

test("generating a key asks for a step-up code, refuses a wrong one, then creates the key; revoking within the ten-minute window asks for nothing more", async ({
  page,
  request,
}) => {
  const { email, app, recoveryCodes } = await signUpWithMfa(page, "stepup");
  await signOut(page);
  await signInWithRecoveryCode(page, email, recoveryCodes[0]);

  await openNav(page, "Keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("stepped-up");
  // The allowlist rows post with the form (this machine, either way the API is reached).
  await dialog.getByRole("button", { name: "Add address or range" }).click();
  await dialog.getByLabel("Address or range 1").fill("127.0.0.1");
  await dialog.getByLabel("Note for entry 1").fill("this machine");
  await dialog.getByRole("button", { name: "Add address or range" }).click();
  await dialog.getByLabel("Address or range 2").fill("::1");
  await dialog.getByRole("button", { name: "Generate" }).click();

  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await stepUp.getByLabel("Authentication code").fill("12a456");
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  await expect(stepUp.getByText("Enter the 6-digit code from your authenticator app")).toBeVisible();
  await stepUp.getByLabel("Authentication code").fill(await app.next(page));
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();

  // The original action completes without starting over: the one-time secret is shown.
  const shown = page.getByRole("dialog", { name: "Your new key" });
  await expect(shown).toBeVisible();
  const secret = await shown.getByLabel("Your new API key").inputValue();
  expect((await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);
  await shown.getByRole("button", { name: "Done" }).click();

  // Within ten minutes of that code, revoking needs no second prompt.
  await page.getByRole("link", { name: "stepped-up", exact: true }).click();
  const allowlist = page.getByRole("form", { name: "IP allowlist" });
  await expect(allowlist.getByLabel("Address or range 1")).toHaveValue("127.0.0.1");
  await expect(allowlist.getByLabel("Note for entry 1")).toHaveValue("this machine");
  await expect(allowlist.getByLabel("Address or range 2")).toHaveValue("::1");
  await page.getByRole("button", { name: "Revoke key" }).click();
  await page.getByRole("dialog", { name: "Revoke “stepped-up”?" }).getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Confirm it's you" })).toBeHidden();
  const res = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe("revoked_key");
});

test("cancelling the step-up leaves the key ungenerated", async ({ page }) => {
  const { email, slug, recoveryCodes } = await signUpWithMfa(page, "stepup-cancel");
  await signOut(page);
  await signInWithRecoveryCode(page, email, recoveryCodes[0]);

  await openNav(page, "Keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("never-made");
  await dialog.getByRole("button", { name: "Generate" }).click();
  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  // Announced by its title and why it asks; the code field has focus, and closing gives it back to "Generate".
  await expect(stepUp).toHaveAccessibleDescription(/needs a fresh code from your authenticator app/);
  await expect(stepUp.getByLabel("Authentication code")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(stepUp).toBeHidden();
  await expect(dialog.getByRole("button", { name: "Generate" })).toBeFocused();
  await expect(dialog.getByText("Enter a code from your authenticator app to continue.")).toBeVisible();
  await page.goto(`/dashboard/${slug}/keys`);
  await expect(page.getByRole("link", { name: "never-made", exact: true })).toHaveCount(0);
});
