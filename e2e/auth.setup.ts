// Setup project: one signed-in account whose storage state later journeys share.
import { test as setup } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { signUp, uniqueEmail } from "./helpers";

export const USER_STATE = "e2e/.auth/user.json";
export const USER_FILE = "e2e/.auth/user-email.txt";

setup("sign up the shared account", async ({ page }) => {
  const email = uniqueEmail("shared");
  await signUp(page, email);
  mkdirSync("e2e/.auth", { recursive: true });
  writeFileSync(USER_FILE, email);
  await page.context().storageState({ path: USER_STATE });
});
