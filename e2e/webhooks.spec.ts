// Journey: an owner adds a webhook endpoint pointing at a local receiver, copies the signing secret from its one-time
// reveal, sends a test event, the receiver gets it signed so that standardwebhooks verifies it, and the delivery log
// shows the attempt; creating a key rings the notification bell, and "Mark all read" clears it.
// Needs WEBHOOK_ALLOW_PRIVATE_NETWORKS=true on the e2e server (the receiver is http on 127.0.0.1).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { openNav, signUp, uniqueEmail } from "./helpers";

test("an owner adds a webhook, sends a test event and sees it in the delivery log", async ({ page, browser }) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.end("received");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signUp(page, uniqueEmail("webhooks"));
    await openNav(page, "Webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();

    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description (optional)").fill("e2e receiver");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByLabel(`Signing secret for ${url}`).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText(url, { exact: true })).toBeVisible();

    await page.getByRole("button", { name: `Send test event to ${url}` }).click();
    await expect(page.getByText("Queued: it shows in the delivery log within seconds.")).toBeVisible();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
    const payload = new Webhook(secret).verify(received[0].body, received[0].headers as Record<string, string>);
    expect(payload).toMatchObject({ type: "webhook.test" });

    await page.getByRole("link", { name: `Delivery log of ${url}` }).click();
    await expect(page.getByRole("heading", { name: "Webhook deliveries" })).toBeVisible();
    await expect(page.getByText("Attempt 1: 200")).toBeVisible();
    await expect(page.getByText("received", { exact: true })).toBeVisible();

    // Another account opening that endpoint's page under its own organization gets a real 404 response.
    const endpointPath = new URL(page.url()).pathname;
    const other = await browser.newContext();
    try {
      const otherPage = await other.newPage();
      const otherSlug = await signUp(otherPage, uniqueEmail("webhooks-other"));
      const foreign = endpointPath.replace(/^\/dashboard\/[^/]+/, `/dashboard/${otherSlug}`);
      expect((await otherPage.goto(foreign))?.status()).toBe(404);
    } finally {
      await other.close();
    }
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test("the notification bell counts new events and marks them read", async ({ page }) => {
  await signUp(page, uniqueEmail("bell"));
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications");
  await openNav(page, "Keys");
  await page.getByRole("button", { name: "Generate key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("bell-key");
  await dialog.getByRole("button", { name: "Generate" }).click();
  await page.getByRole("dialog", { name: "Your new key" }).getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(bell).toHaveAccessibleName("Notifications: 1 unread");
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel.getByText(/Key “bell-key” \(kh_\w+…\) was created/)).toBeVisible();
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await expect(bell).toHaveAccessibleName("Notifications");
});
