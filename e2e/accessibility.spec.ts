// axe-core on every dashboard page as owner, developer, viewer and administrator: no serious or critical violation.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, gotoOrg, USER_STATE } from "./helpers";
import { ADMIN_PAGES, buildTeam, dashboardPages } from "./team";

// The serious and critical violations on each of `paths`, one line per rule and page.
async function violations(page: Page, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations)
      if (v.impact === "serious" || v.impact === "critical")
        found.push(`${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  return found;
}

test("no serious or critical axe violation on any page, for any role", async ({ browser }) => {
  test.setTimeout(300_000);
  const team = await buildTeam(browser);
  const found: string[] = [];
  for (const role of ["owner", "developer", "viewer"] as const)
    found.push(...(await violations(team[role].page, dashboardPages(team, role))).map((v) => `${role} ${v}`));
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  found.push(...(await violations(await admin.newPage(), ADMIN_PAGES)).map((v) => `admin ${v}`));
  const visitor = await browser.newContext();
  found.push(
    ...(await violations(await visitor.newPage(), ["/", "/login", "/signup", "/forgot-password"])).map(
      (v) => `signed out ${v}`,
    ),
  );
  expect(found).toEqual([]);

  for (const c of [team.owner.context, team.developer.context, team.viewer.context, admin, visitor]) await c.close();
});

test.describe("keyboard", () => {
  test.use({ storageState: USER_STATE });

  test("the Generate dialog opens from the keyboard, takes focus, and gives it back when closed", async ({ page }) => {
    await gotoOrg(page, "/keys");
    const trigger = page.getByRole("button", { name: "Generate key" });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Generate API key" });
    await expect(dialog.getByLabel("Name")).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(trigger).toBeFocused();
  });
});
