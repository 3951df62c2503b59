// Journey: `keyhold login` on a machine signs in through the browser: the built CLI prints a code and URL and polls;
// Chromium signs in, checks the code, approves behind step-up; the CLI saves the new key (0600) and works with it;
// `keyhold logout` revokes it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ORG_HOME, PASSWORD, signOut, signUpWithMfa } from "./helpers";

const BIN = path.resolve("packages/cli/bin/keyhold.js");

type Run = { code: number | null; stdout: string; stderr: string };

// Starts the CLI; `done` settles when it exits, or kills it at the deadline (then code is null).
function startCli(args: string[], env: Record<string, string>, deadlineMs: number) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: Run = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => (run.stdout += chunk));
  child.stderr.on("data", (chunk) => (run.stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    }),
  );
  return { run, done, kill: () => child.kill("SIGKILL") };
}

// Waits (at most `ms`) until the CLI's stderr matches `pattern`; answers the match.
async function waitForOutput(run: Run, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const match = run.stderr.match(pattern);
    if (match) return match;
    if (run.code !== null || Date.now() > until) throw new Error(`no ${pattern} in the CLI's output: ${run.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("keyhold login in the browser: approve with step-up at 390 px, the CLI gets a working key, logout revokes it", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const home = mkdtempSync(path.join(tmpdir(), "kh-cli-device-"));
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), KEYHOLD_ENDPOINT: baseURL!, NO_COLOR: "1" };
  const { email, app, recoveryCodes } = await signUpWithMfa(page, "cli-device");
  await signOut(page);

  const login = startCli(["login", "--no-browser"], env, 90_000);
  try {
    const [, userCode] = await waitForOutput(login.run, /one-time code: ([A-Z]{4}-[A-Z]{4})/, 15_000);
    const [, url] = await waitForOutput(login.run, /\(or open (\S+)\)/, 5_000);
    expect(url).toBe(`${baseURL}/cli/authorize?code=${userCode}`);

    // On a phone-sized screen: signed out, the page sends us to sign in and back.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/login\/mfa/);
    // A recovery code verifies the session without a TOTP check, so approving asks for a step-up.
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(`${baseURL}/cli/authorize?code=${userCode}`);
    await expect(page).not.toHaveURL(ORG_HOME);

    await expect(page.getByRole("heading", { name: "Sign in the Keyhold CLI" })).toBeVisible();
    await expect(page.getByTestId("device-code")).toHaveText(userCode);
    await expect(page.getByText(hostname().slice(0, 48), { exact: true })).toBeVisible();
    await expect(page.getByLabel("Organization")).toBeVisible();
    await page.getByRole("checkbox", { name: /^write/ }).check();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The CLI is still waiting.
    expect(login.run.code).toBeNull();
    await page.getByRole("button", { name: "Approve" }).click();
    const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
    await expect(stepUp).toBeVisible();
    await stepUp.getByLabel("Authentication code").fill(await app.next(page));
    await stepUp.getByRole("button", { name: "Verify and continue" }).click();
    await expect(page.getByText(/Approved\. Return to your terminal/)).toBeVisible();

    const ended = await login.done;
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/Signed in to .*new key CLI on /);
  } finally {
    login.kill();
  }

  // The key is saved 0600 with the browser sign-in's marker, and works.
  const file = path.join(home, ".config", "keyhold", "credentials.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const saved = JSON.parse(readFileSync(file, "utf8")).profiles.default;
  expect(saved).toMatchObject({ endpoint: baseURL, issuedBy: "browser" });
  expect(saved.apiKey).toMatch(/^kh_live_/);

  const whoami = await startCli(["whoami", "--json"], env, 20_000).done;
  expect(whoami.code, whoami.stderr).toBe(0);
  const who = JSON.parse(whoami.stdout);
  expect(who.key).toMatchObject({ id: saved.keyId, scopes: ["read", "write"] });
  expect(who.key.name).toMatch(/^CLI on /);

  // Logout revokes the key and forgets it.
  const logout = await startCli(["logout"], env, 20_000).done;
  expect(logout.code, logout.stderr).toBe(0);
  expect(logout.stdout).toMatch(/Revoked the key/);
  const after = await request.get("/api/v1/whoami", { headers: { Authorization: `Bearer ${saved.apiKey}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("revoked_key");
  expect(() => statSync(file)).toThrow();
  rmSync(home, { recursive: true, force: true });
});

test("denying in the browser ends keyhold login with exit 4 and saves nothing", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const home = mkdtempSync(path.join(tmpdir(), "kh-cli-deny-"));
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), KEYHOLD_ENDPOINT: baseURL!, NO_COLOR: "1" };
  await signUpWithMfa(page, "cli-deny");
  const login = startCli(["login", "--no-browser"], env, 60_000);
  try {
    const [, url] = await waitForOutput(login.run, /\(or open (\S+)\)/, 15_000);
    await page.goto(url);
    await page.getByRole("button", { name: "Deny" }).click();
    await expect(page.getByText(/Denied\. The CLI on/)).toBeVisible();
    const ended = await login.done;
    expect(ended.code).toBe(4);
    expect(ended.stderr).toMatch(/access_denied/);
  } finally {
    login.kill();
  }
  expect(() => statSync(path.join(home, ".config", "keyhold", "credentials.json"))).toThrow();
  rmSync(home, { recursive: true, force: true });
});
