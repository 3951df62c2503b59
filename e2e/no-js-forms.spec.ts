// Journeys with JavaScript off: the sign-in, sign-up and MFA challenge forms render on the server, post (never GET),
// and work; no password or code ever appears in a URL.
import { expect, test, type Page } from "@playwright/test";
import { ORG_HOME, orgSlug, PASSWORD, signUpWithMfa, uniqueEmail } from "./helpers";

test.use({ javaScriptEnabled: false });

// Every URL the page requests or shows, for checking that no secret leaks into one.
function watchUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  return urls;
}

function expectNoSecretIn(urls: string[], ...secrets: string[]) {
  for (const url of urls) {
    for (const secret of secrets) {
      expect(url).not.toContain(secret);
      expect(url).not.toContain(encodeURIComponent(secret));
      expect(url).not.toContain(secret.replaceAll(" ", "+"));
    }
  }
}

test("sign-up, then sign-in, post without JavaScript and land on the dashboard", async ({ page }) => {
  const urls = watchUrls(page);
  const email = uniqueEmail("nojs");

  await page.goto("/signup");
  await expect(page.locator("form")).toHaveAttribute("method", /^post$/i);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(ORG_HOME);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const slug = orgSlug(page);

  await page.context().clearCookies();
  await page.goto(`/login?next=%2Fdashboard%2F${slug}%2Fkeys`);
  const form = page.locator("form");
  await expect(form).toHaveAttribute("method", /^post$/i);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the right password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid email or password");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/keys$`));
  expectNoSecretIn([...urls, page.url()], PASSWORD, "not the right password");
});

test("the MFA challenge posts its code without JavaScript", async ({ page, browser }) => {
  // Enrolment itself is interactive: done in a JavaScript-enabled browser.
  const withJs = await browser.newContext({ javaScriptEnabled: true });
  const { email, app } = await signUpWithMfa(await withJs.newPage(), "nojs-mfa");
  await withJs.close();

  const urls = watchUrls(page);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/mfa\?next=%2Fdashboard$/);
  await expect(page.locator("form").first()).toHaveAttribute("method", /^post$/i);

  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator("#mfa-code-error")).toHaveText(/^That code is incorrect\./);
  const code = await app.next(page);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(ORG_HOME);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  expectNoSecretIn([...urls, page.url()], PASSWORD, code, "000000");
});
