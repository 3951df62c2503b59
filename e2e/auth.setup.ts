// Setup project: the instance's first account (ADMIN on a fresh e2e database) and a regular shared account, each with a saved signed-in state.
import { test as setup } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { ADMIN_FILE, ADMIN_STATE, signUp, uniqueEmail, USER_FILE, USER_STATE } from "./helpers";

setup.describe.configure({ mode: "serial" });

setup("sign up the administrator (the first account)", async ({ page }) => {
  const email = uniqueEmail("admin");
  await signUp(page, email);
  mkdirSync("e2e/.auth", { recursive: true });
  writeFileSync(ADMIN_FILE, email);
  await page.context().storageState({ path: ADMIN_STATE });
});

setup("sign up the shared account", async ({ page }) => {
  const email = uniqueEmail("shared");
  await signUp(page, email);
  mkdirSync("e2e/.auth", { recursive: true });
  writeFileSync(USER_FILE, email);
  await page.context().storageState({ path: USER_STATE });
});
