// Single sign-on journeys through a real identity provider (oidc-provider on 127.0.0.1, its own login pages): JIT
// join of a claimed and approved domain, require SSO, no takeover by an unverified email, state and code replay
// refused, removal at the IdP, and the IdP being down.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_IDP } from "../playwright.config";
import { startTestIdp, type TestIdp } from "../tests/helpers/oidc-idp";
import { ADMIN_STATE, ORG_HOME, PASSWORD, orgSlug, signIn, signUp } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const domain = `corp-${run}.test`;
const jitEmail = `jit@${domain}`;
const victimEmail = `victim-${run}@example.com`;
const passwordUserEmail = `pw@${domain}`;

let idp: TestIdp;
let ownerSlug = "";

test.beforeAll(async () => {
  idp = await startTestIdp({
    port: E2E_IDP.port,
    clientId: E2E_IDP.clientId,
    clientSecret: E2E_IDP.clientSecret,
    redirectUris: [E2E_IDP.callbackUrl],
    accounts: {
      [`jit-${run}`]: { email: jitEmail, email_verified: true },
      [`mallory-${run}`]: { email: victimEmail, email_verified: false },
    },
  });
});

test.afterAll(async () => {
  await idp?.close();
});

// A fresh browser context (its own cookies), closed by the caller.
async function freshPage(browser: Browser, storageState?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(storageState ? { storageState } : {});
  return { context, page: await context.newPage() };
}

// From /login to the IdP's own login page.
async function startSso(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_IDP.issuer}/interaction/`));
}

// Signs in on the IdP's login page as `login` (any password), which sends the browser back to Keyhold.
async function idpLogin(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
}

// From /login, through the IdP's own login page as `login`, back to Keyhold.
async function ssoSignIn(page: Page, login: string): Promise<void> {
  await startSso(page);
  await idpLogin(page, login);
}

test("first SSO sign-in creates the account and joins the claimed domain's organization with its default role", async ({
  browser,
}) => {
  // An owner claims the domain with "Viewer" as its default role…
  const owner = await freshPage(browser);
  ownerSlug = await signUp(owner.page, `owner-${run}@example.com`);
  await owner.page.goto(`/dashboard/${ownerSlug}/settings`);
  await owner.page.getByLabel("Email domain").fill(domain);
  await owner.page.getByLabel("Default role", { exact: true }).selectOption("viewer");
  await owner.page.getByRole("button", { name: "Claim domain" }).click();
  await expect(owner.page.getByText("Pending approval by the instance administrator")).toBeVisible();

  // …which does nothing until the instance administrator approves it on /admin.
  const admin = await freshPage(browser, ADMIN_STATE);
  await admin.page.goto("/admin");
  await admin.page.getByRole("button", { name: `Approve ${domain}` }).click();
  await expect(admin.page.getByRole("button", { name: `Approve ${domain}` })).toHaveCount(0);
  await admin.context.close();

  // The IdP user signs in for the first time: a new account, in its personal organization and in the owner's.
  const sso = await freshPage(browser);
  await ssoSignIn(sso.page, `jit-${run}`);
  await expect(sso.page).toHaveURL(ORG_HOME);
  expect(orgSlug(sso.page)).not.toBe(ownerSlug);
  await sso.page.goto(`/dashboard/${ownerSlug}/members`);
  await expect(sso.page.getByRole("row", { name: new RegExp(jitEmail) })).toContainText("Viewer");

  // A second sign-in finds the same account (linked by issuer and subject), without a second membership.
  await sso.context.clearCookies();
  await ssoSignIn(sso.page, `jit-${run}`);
  await expect(sso.page).toHaveURL(ORG_HOME);
  await sso.page.goto(`/dashboard/${ownerSlug}/members`);
  await expect(sso.page.getByRole("row", { name: new RegExp(jitEmail) })).toHaveCount(1);
  await sso.context.close();
  await owner.context.close();
});

test("require SSO refuses the domain's password sign-in and ends its password sessions", async ({ browser }) => {
  // A password account at the domain, signed in.
  const user = await freshPage(browser);
  await signUp(user.page, passwordUserEmail);

  const owner = await freshPage(browser);
  await signIn(owner.page, `owner-${run}@example.com`);
  await expect(owner.page).toHaveURL(ORG_HOME);
  await owner.page.goto(`/dashboard/${ownerSlug}/settings`);
  const row = owner.page.getByRole("listitem", { name: `Domain ${domain}` });
  await row.getByLabel(`Require SSO for ${domain}`).check();
  await row.getByRole("button", { name: "Save domain" }).click();
  await expect(row.getByText("Saved.")).toBeVisible();
  await owner.context.close();

  // The existing password session has ended…
  await user.page.goto("/dashboard");
  await expect(user.page).toHaveURL(/\/login/);
  // …and the password no longer signs in.
  await signIn(user.page, passwordUserEmail, PASSWORD);
  await expect(user.page.getByText(`Accounts at ${domain} sign in with single sign-on`)).toBeVisible();
  await expect(user.page).toHaveURL(/\/login/);
  await user.context.close();
});

test("an IdP identity with an unverified email cannot take over the existing account", async ({ browser }) => {
  const victim = await freshPage(browser);
  await signUp(victim.page, victimEmail);
  await victim.context.close();

  const attacker = await freshPage(browser);
  await ssoSignIn(attacker.page, `mallory-${run}`);
  await expect(attacker.page).toHaveURL(/\/login\?(.*&)?error=SsoUnverifiedEmail/);
  await expect(attacker.page.getByText("Your identity provider has not verified your email address")).toBeVisible();
  await attacker.page.goto("/dashboard");
  await expect(attacker.page).toHaveURL(/\/login/);
  await attacker.context.close();
});

test("a tampered state and a replayed authorization code are refused", async ({ browser }) => {
  // Tampered state: the authorization request carries a state the browser's state cookie does not match, so the IdP
  // sends it back and Keyhold refuses the callback.
  const tampered = await freshPage(browser);
  await tampered.page.route(`${E2E_IDP.issuer}/auth?**`, async (route) => {
    const url = new URL(route.request().url());
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBeTruthy();
    url.searchParams.set("state", "forged-state");
    await route.continue({ url: url.toString() });
  });
  await ssoSignIn(tampered.page, `jit-${run}`);
  await expect(tampered.page).toHaveURL(/\/login\?(.*&)?error=OAuthCallback/);
  await expect(tampered.page.getByText("Single sign-on did not complete")).toBeVisible();
  await tampered.page.goto("/dashboard");
  await expect(tampered.page).toHaveURL(/\/login/);
  await tampered.context.close();

  // Replay: a successful callback (its code and state) sent again with the browser's state, PKCE and nonce cookies
  // as they were, so only the used code can refuse it — at the IdP's token endpoint.
  const first = await freshPage(browser);
  let callbackUrl = "";
  first.page.on("request", (request) => {
    if (request.url().startsWith(E2E_IDP.callbackUrl)) callbackUrl = request.url();
  });
  await startSso(first.page);
  const checkCookies = await first.context.cookies(new URL(E2E_IDP.callbackUrl).origin);
  expect(checkCookies.map((c) => c.name)).toEqual(
    expect.arrayContaining(["next-auth.state", "next-auth.pkce.code_verifier", "next-auth.nonce"]),
  );
  await idpLogin(first.page, `jit-${run}`);
  await expect(first.page).toHaveURL(ORG_HOME);
  expect(callbackUrl).toContain("code=");
  await first.context.close();

  const replay = await freshPage(browser);
  await replay.context.addCookies(checkCookies);
  await replay.page.goto(callbackUrl);
  await expect(replay.page).toHaveURL(/\/login\?(.*&)?error=OAuthCallback/);
  await replay.page.goto("/dashboard");
  await expect(replay.page).toHaveURL(/\/login/);
  await replay.context.close();
});

test("a user removed at the IdP cannot sign in through it again", async ({ browser }) => {
  idp.accounts.delete(`jit-${run}`);
  const removed = await freshPage(browser);
  await startSso(removed.page);
  const loginPage = removed.page.url();
  await idpLogin(removed.page, `jit-${run}`);
  // The IdP no longer finds the account: it answers with its own error page and never sends the browser back.
  await expect(removed.page).not.toHaveURL(loginPage);
  await expect(removed.page.getByRole("heading", { name: "oops! something went wrong" })).toBeVisible();
  expect(removed.page.url().startsWith(E2E_IDP.issuer)).toBe(true);
  await removed.page.goto("/dashboard");
  await expect(removed.page).toHaveURL(/\/login/);
  await removed.context.close();
});

test("the IdP being down gives a clear message on the login page", async ({ browser }) => {
  await idp.close();
  const page = (await freshPage(browser)).page;
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await expect(page).toHaveURL(/\/login\?(.*&)?error=OAuthSignin/);
  await expect(page.getByText("Could not reach the identity provider")).toBeVisible();
  // The password form still works beside it.
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});
