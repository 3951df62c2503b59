// Every dashboard page at 390 px (a phone), as owner, developer, viewer and administrator: nothing scrolls sideways.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE } from "./helpers";
import { ADMIN_PAGES, buildTeam, dashboardPages } from "./team";

const PHONE = { width: 390, height: 844 };

// The pages of `paths` that scroll sideways, with their widths.
async function overflowing(page: Page, paths: string[]): Promise<string[]> {
  const wide: string[] = [];
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    if (width > PHONE.width) wide.push(`${path}: ${width} px`);
  }
  return wide;
}

test("no dashboard page scrolls sideways at 390 px, for any role", async ({ browser }) => {
  test.setTimeout(240_000);
  const team = await buildTeam(browser, PHONE);
  const wide: string[] = [];
  for (const role of ["owner", "developer", "viewer"] as const)
    wide.push(...(await overflowing(team[role].page, dashboardPages(team, role))).map((w) => `${role} ${w}`));

  const admin = await browser.newContext({ storageState: ADMIN_STATE, viewport: PHONE });
  wide.push(...(await overflowing(await admin.newPage(), ADMIN_PAGES)).map((w) => `admin ${w}`));
  expect(wide).toEqual([]);

  for (const c of [team.owner.context, team.developer.context, team.viewer.context, admin]) await c.close();
});
