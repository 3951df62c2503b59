import { afterEach, describe, expect, it, vi } from "vitest";

const TOKEN = "metrics-token-0123456789";

async function loadRoute(token: string | undefined) {
  vi.resetModules();
  if (token === undefined) delete process.env.METRICS_TOKEN;
  else process.env.METRICS_TOKEN = token;
  return (await import("@/lib/api/app")).app;
}

const get = async (app: Awaited<ReturnType<typeof loadRoute>>, auth?: string) =>
  app.fetch(new Request("http://localhost/api/metrics", { headers: auth ? { authorization: auth } : {} }));

describe("GET /api/metrics", () => {
  afterEach(() => {
    delete process.env.METRICS_TOKEN;
  });

  it("answers 404 while METRICS_TOKEN is unset", async () => {
    const route = await loadRoute(undefined);
    expect((await get(route, `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("answers 401 without the token or with a wrong one", async () => {
    const route = await loadRoute(TOKEN);
    const refused = await get(route);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      error: { code: "unauthenticated", message: "A valid metrics token is required" },
    });
    expect((await get(route, "Bearer wrong-token-0123456789")).status).toBe(401);
    expect((await get(route, TOKEN)).status).toBe(401);
  });

  it("serves Prometheus text with verifications by outcome, the latency histogram, buffer size and dropped events", async () => {
    const route = await loadRoute(TOKEN);
    const { UsageRecorder } = await import("@/lib/usage/recorder");
    const recorder = new UsageRecorder({
      client: () => {
        throw new Error("not used");
      },
      maxBuffer: 2,
      intervalMs: 3_600_000,
    });
    for (const outcome of ["valid", "valid", "REVOKED"]) {
      recorder.record({
        keyId: "k",
        organizationId: "o",
        route: "/api/v1/whoami",
        method: "GET",
        status: 200,
        outcome,
        latencyMs: 7,
      });
    }
    recorder.stop();
    const res = await get(route, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/keyhold_verifications_total\{outcome="valid"\} 2/);
    expect(text).toMatch(/keyhold_verifications_total\{outcome="revoked_key"\} 1/);
    expect(text).toMatch(/keyhold_verification_duration_seconds_bucket\{le="0.01"\} 3/);
    expect(text).toMatch(/keyhold_usage_buffer_events 2/);
    expect(text).toMatch(/keyhold_usage_events_dropped_total 1/);
    expect(text).toMatch(/keyhold_usage_flush_errors_total 0/);
  });
});
