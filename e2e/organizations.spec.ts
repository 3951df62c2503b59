// Journey: an owner builds an organization; a developer and a viewer join from their invitation links in their own
// browsers; the developer requests an admin-scope key, the owner approves it behind a TOTP step-up, the developer
// reveals the secret once and calls whoami; the viewer sees the key without controls and a forged revoke is refused;
// a 30-day maximum lifetime refuses a 90-day key with a field error.
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { signIn, signOut, signUp, signUpWithMfa, uniqueEmail } from "./helpers";

// Signs in with a recovery code: the session has had no TOTP check, so sensitive actions ask for a step-up.
async function signInWithRecoveryCode(page: Page, email: string, code: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/login\/mfa/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard\/[a-z0-9-]+$/);
}

// Invites an email with a role from the members page and returns the link, shown once.
async function invite(page: Page, slug: string, email: string, role: string): Promise<string> {
  await page.goto(`/dashboard/${slug}/members`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const link = await page.getByLabel(`Invitation link for ${email}`).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Done" }).click();
  return new URL(link).pathname;
}

// A second browser with a new account of its own (with MFA when asked).
async function newMember(browser: Browser, tag: string, withMfa: boolean) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (withMfa) {
    const { email, app, slug } = await signUpWithMfa(page, tag);
    return { context, page, email, app, personal: slug };
  }
  const email = uniqueEmail(tag);
  const personal = await signUp(page, email);
  return { context, page, email, app: null, personal };
}

// Opens the invitation link signed in and joins.
async function join(page: Page, invitePath: string, slug: string) {
  await page.goto(invitePath);
  await page.getByRole("button", { name: /^Join / }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
}

// Waits for the outcome or the step-up dialog, answering the step-up if it is asked for (a fresh TOTP check within ten
// minutes needs none).
async function stepUpIfAsked(page: Page, outcome: Locator, code: () => Promise<string>) {
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog.or(outcome).first()).toBeVisible();
  if (await dialog.isVisible()) {
    await dialog.getByLabel("Authentication code").fill(await code());
    await dialog.getByRole("button", { name: "Verify and continue" }).click();
  }
  await expect(outcome).toBeVisible();
}

test("owner, developer and viewer: invitations, a key request approved behind a step-up, revealed once; viewer read-only; lifetime policy", async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  // The owner: MFA on, signed in again with a recovery code so the approval must ask for a TOTP code.
  const owner = await signUpWithMfa(page, "org-owner");
  await signOut(page);
  await signInWithRecoveryCode(page, owner.email, owner.recoveryCodes[0]);

  await page.goto("/dashboard/new");
  const name = `Journey ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/dashboard\/journey-[a-z0-9-]+$/);
  const slug = new URL(page.url()).pathname.split("/")[2];
  await expect(page.getByRole("button", { name: `Organization: ${name}` })).toBeVisible();

  // Policy: developers' admin-scope keys need approval.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("Key requests").selectOption("admin_scope");
  await page.getByRole("button", { name: "Save policies" }).click();
  await expect(page.getByText("Policies saved.")).toBeVisible();

  // A developer (with MFA: admin-scope keys need it) and a viewer, each in their own browser.
  const dev = await newMember(browser, "org-dev", true);
  const viewer = await newMember(browser, "org-viewer", false);
  const devLink = await invite(page, slug, dev.email, "developer");
  const viewerLink = await invite(page, slug, viewer.email, "viewer");
  await expect(page.getByText(dev.email)).toBeVisible();

  // The developer joins from the link and requests an admin-scope key.
  await join(dev.page, devLink, slug);
  await dev.page.goto(`/dashboard/${slug}/keys`);
  await dev.page.getByRole("link", { name: "Request a key" }).click();
  await dev.page.getByLabel("Name").fill("ml-admin");
  await dev.page.getByRole("checkbox", { name: /^admin/ }).check();
  await dev.page.getByLabel("Reason").fill("Deploy pipeline needs to manage keys");
  await dev.page.getByRole("button", { name: "Submit request" }).click();
  await expect(dev.page).toHaveURL(new RegExp(`/dashboard/${slug}/requests$`));
  await expect(dev.page.getByText("Waiting for approval", { exact: false })).toBeVisible();

  // The owner sees the badge and approves; the approval asks for a TOTP code.
  await page.goto(`/dashboard/${slug}`);
  await expect(page.getByRole("link", { name: /Key requests\s*1 pending/ })).toBeVisible();
  await page.getByRole("link", { name: /Key requests/ }).click();
  await page.getByRole("button", { name: "Approve" }).click();
  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp).toBeVisible();
  await stepUp.getByLabel("Authentication code").fill(await owner.app.next(page));
  await stepUp.getByRole("button", { name: "Verify and continue" }).click();
  await expect(page.getByText("No pending requests")).toBeVisible();

  // The developer reveals the secret once; it authenticates and whoami names the organization.
  await dev.page.reload();
  await dev.page.getByRole("button", { name: "Reveal key" }).click();
  const shown = dev.page.getByRole("dialog", { name: "Your new key" });
  await stepUpIfAsked(dev.page, shown, () => dev.app!.next(dev.page));
  const secret = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(dev.page.getByRole("button", { name: "Reveal key" })).toHaveCount(0);
  const whoami = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } });
  expect(whoami.status()).toBe(200);
  const body = await whoami.json();
  expect(body.organization).toMatchObject({ slug, name });
  expect(body.key.scopes).toContain("admin");

  // The viewer joins and sees the key, read-only.
  await join(viewer.page, viewerLink, slug);
  await viewer.page.goto(`/dashboard/${slug}/keys`);
  await expect(viewer.page.getByRole("link", { name: "ml-admin" })).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Generate key" })).toHaveCount(0);
  await viewer.page.getByRole("link", { name: "ml-admin" }).click();
  await expect(viewer.page.getByRole("heading", { name: "ml-admin" })).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Revoke key" })).toHaveCount(0);
  await expect(viewer.page.getByRole("button", { name: "Rotate key" })).toHaveCount(0);
  // The key's page under the viewer's own personal organization is a real 404 response, not a "Page not found"
  // streamed inside a 200.
  const keyId = new URL(viewer.page.url()).pathname.split("/").at(-1)!;
  expect((await viewer.page.goto(`/dashboard/${viewer.personal}/keys/${keyId}`))?.status()).toBe(404);

  // A forged revoke: the owner's own revoke request (captured and held back) replayed with the viewer's cookies.
  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("link", { name: "ml-admin" }).click();
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await page.route("**/*", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? "" };
      await route.abort();
    } else await route.continue();
  });
  await page.getByRole("button", { name: "Revoke key" }).click();
  await page.getByRole("dialog", { name: "Revoke “ml-admin”?" }).getByRole("button", { name: "Yes, revoke" }).click();
  await expect.poll(() => captured !== null).toBe(true);
  await page.unroute("**/*");
  const forged = captured!;
  // Everything the owner's browser sent but its cookie: the viewer's context adds the viewer's own.
  const forgedHeaders = Object.fromEntries(Object.entries(forged.headers).filter(([name]) => name !== "cookie"));
  const replay = await viewer.context.request.post(forged.url, { headers: forgedHeaders, data: forged.body });
  expect(await replay.text()).toContain("forbidden");
  // The key still works: nothing was revoked.
  expect((await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);

  // A 30-day maximum lifetime: a 90-day key is refused with a field error.
  await page.goto(`/dashboard/${slug}/settings`);
  await page.getByLabel("Maximum key lifetime (days)").fill("30");
  await page.getByRole("button", { name: "Save policies" }).click();
  await expect(page.getByText("Policies saved.")).toBeVisible();
  await page.goto(`/dashboard/${slug}/keys`);
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("too-long-lived");
  await dialog.getByLabel("Expires").selectOption("90");
  await dialog.getByRole("button", { name: "Generate" }).click();
  await stepUpIfAsked(page, dialog.getByText(/Keys must expire within 30 days/), () => owner.app.next(page));
  await expect(dialog.locator("#field-expiry-error")).toContainText("Keys must expire within 30 days");

  await dev.context.close();
  await viewer.context.close();
});
