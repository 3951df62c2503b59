// Every request through the middleware is verified by Keyhold with the default options, so a key's rate limit and
// usage hold: a key limited to 2 requests a minute, sent 10 requests within a second through each middleware (Hono,
// Express, a Next.js route handler), gets exactly 2 through, and the usage API counts all 10.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { keyhold as expressKeyhold } from "@keyhold/sdk/express";
import { keyhold as honoKeyhold } from "@keyhold/sdk/hono";
import { withKeyhold } from "@keyhold/sdk/next";
import { admin, fixture, withFixture } from "./fixture";

withFixture();

// A fresh key limited to 2 requests a minute.
async function limitedKey(name: string): Promise<{ id: string; secret: string }> {
  const made = await admin.keys.create({ name, environment: "test", scopes: ["write"], rateLimit: 2 });
  return { id: made.key.id, secret: made.secret };
}

// The usage API's total for a key, once Keyhold has recorded at least `expected` events (usage is buffered), or what
// it counts after 20 s.
async function usageTotal(keyId: string, expected: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const usage = await admin.usage({ keyId, range: "24h" });
    if (usage.totals.total >= expected || Date.now() > deadline) return usage.totals.total;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// Sends 10 requests one after another (well within a second) and answers their statuses.
async function tenRequests(send: () => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push(await send());
  return statuses;
}

const options = () => ({ endpoint: fixture.endpoint, serviceToken: fixture.serviceToken, scope: "write" as const });

describe("the middleware with its default options verifies every request with Keyhold", () => {
  it("Hono: exactly 2 of 10 pass, usage counts 10", async () => {
    const key = await limitedKey("exact-hono");
    const app = new Hono();
    app.get("/", honoKeyhold(options()), (c) => c.text("ok"));
    const statuses = await tenRequests(
      async () => (await app.request("/", { headers: { Authorization: `Bearer ${key.secret}` } })).status,
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    expect(await usageTotal(key.id, 10)).toBe(10);
  });

  it("Express: exactly 2 of 10 pass, usage counts 10", async () => {
    const key = await limitedKey("exact-express");
    const app = express();
    app.get("/", expressKeyhold(options()), (_req, res) => {
      res.send("ok");
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const statuses = await tenRequests(async () => {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${key.secret}` } });
        await res.arrayBuffer();
        return res.status;
      });
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await usageTotal(key.id, 10)).toBe(10);
  });

  it("Next.js route handler: exactly 2 of 10 pass, usage counts 10", async () => {
    const key = await limitedKey("exact-next");
    const handler = withKeyhold(() => new Response("ok"), options());
    const statuses = await tenRequests(
      async () =>
        (await handler(new Request("http://app/", { headers: { Authorization: `Bearer ${key.secret}` } }), {})).status,
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8);
    expect(await usageTotal(key.id, 10)).toBe(10);
  });
});
