import { beforeAll, describe, expect, it } from "vitest";
import { getUsageSeries, getUsageTotals, type UsageParams } from "@/lib/usage/queries";
import { parseQuery } from "@/lib/api/request";
import { errorResponse, json } from "@/lib/api/responses";
import { UsageQuery } from "@/lib/api/schemas";
import { usageCsv } from "@/lib/usage/csv";
import { usageForApi } from "@/lib/usage/report";
import { writeUsageBatch, type UsageEventInput } from "@/lib/usage/writer";
import { usageOutcome } from "@/lib/usage/outcomes";
import { rangeQuery } from "../helpers/usage";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const iso = (s: string) => new Date(s);

function event(organizationId: string, keyId: string, ts: Date, outcome = "valid", latencyMs = 4): UsageEventInput {
  return {
    keyId,
    organizationId,
    ts,
    route: "/api/v1/keys",
    method: "GET",
    status: outcome === "valid" ? 200 : 403,
    outcome: usageOutcome(outcome),
    ip: null,
    latencyMs,
  };
}

// An organization (owned by nobody: usage needs none) with two keys.
async function makeOrg(slug: string) {
  const org = await db.current.client.organization.create({
    data: { name: slug, slug, clientId: `kh_client_${slug}` },
  });
  const keys = await Promise.all(
    ["alpha", "beta"].map((name) =>
      db.current.client.apiKey.create({
        data: {
          organizationId: org.id,
          name,
          activeName: name,
          prefix: `kh_live_${name.slice(0, 4)}`,
          hash: `${slug}-${name}`,
          environment: "live",
          scopes: ["read"],
        },
      }),
    ),
  );
  return { org, keys };
}

// usageForApi answered as GET /api/v1/usage answers it: the query parsed by the schema the route declares, then the
// body, or the thrown error through the API's one error map.
async function usageApi(organizationId: string, params: URLSearchParams, now: Date) {
  const res = await Promise.resolve()
    .then(() => usageForApi(organizationId, parseQuery(`http://localhost/api/v1/usage?${params}`, UsageQuery), now))
    .then((body) => json(body), errorResponse);
  return { status: res.status, body: (await res.json()) as unknown };
}

const counts = (series: Awaited<ReturnType<typeof getUsageSeries>>) =>
  series.buckets.map((b) => [b.start.toISOString(), b.total]);

describe("bucket boundaries and time zones", () => {
  let orgId: string;
  const params = (over: Partial<UsageParams>): UsageParams => ({
    scope: { organizationId: orgId },
    from: iso("2026-01-01T00:00:00Z"),
    to: iso("2026-01-03T00:00:00Z"),
    interval: "day",
    timeZone: "UTC",
    now: iso("2026-01-05T00:00:00Z"),
    ...over,
  });

  beforeAll(async () => {
    const { org, keys } = await makeOrg("tz");
    orgId = org.id;
    // 23:59 and 00:01 UTC around midnight; 18:29 and 18:31 UTC around midnight in Asia/Kolkata (+05:30).
    const times = ["2026-01-01T18:29:00Z", "2026-01-01T18:31:00Z", "2026-01-01T23:59:00Z", "2026-01-02T00:01:00Z"];
    await writeUsageBatch(
      db.current.client,
      times.map((t) => event(orgId, keys[0].id, iso(t))),
    );
  });

  // Day buckets: [title, the query's time zone and clock, each bucket's start and count]; the totals count all four.
  it.each([
    [
      "UTC days split at 00:00 UTC (served by day rollups)",
      {},
      [
        ["2026-01-01T00:00:00.000Z", 3],
        ["2026-01-02T00:00:00.000Z", 1],
      ],
    ],
    [
      "America/New_York days start at 05:00 UTC in winter: all four events fall on 1 January",
      { timeZone: "America/New_York" },
      [
        ["2025-12-31T05:00:00.000Z", 0],
        ["2026-01-01T05:00:00.000Z", 4],
        ["2026-01-02T05:00:00.000Z", 0],
      ],
    ],
    [
      "Asia/Kolkata days start at 18:30 UTC: the half hour cut by local midnight comes from minute rollups",
      { timeZone: "Asia/Kolkata" },
      [
        ["2025-12-31T18:30:00.000Z", 1],
        ["2026-01-01T18:30:00.000Z", 3],
        ["2026-01-02T18:30:00.000Z", 0],
      ],
    ],
    [
      "past the minute-rollup retention, a cut hour counts for the local day it starts in (documented approximation)",
      { timeZone: "Asia/Kolkata", now: iso("2026-12-01T00:00:00Z") },
      [
        ["2025-12-31T18:30:00.000Z", 2],
        ["2026-01-01T18:30:00.000Z", 2],
        ["2026-01-02T18:30:00.000Z", 0],
      ],
    ],
  ] as const)("%s", async (_title, over, buckets) => {
    expect(counts(await getUsageSeries(params(over)))).toEqual(buckets);
    expect((await getUsageTotals(params(over))).total).toBe(4);
  });

  it("hour buckets split 23:59 and 00:01, minute buckets too", async () => {
    const hours = await getUsageSeries(
      params({ interval: "hour", from: iso("2026-01-01T23:00:00Z"), to: iso("2026-01-02T01:00:00Z") }),
    );
    expect(counts(hours)).toEqual([
      ["2026-01-01T23:00:00.000Z", 1],
      ["2026-01-02T00:00:00.000Z", 1],
    ]);
    const minutes = await getUsageSeries(
      params({ interval: "minute", from: iso("2026-01-01T23:59:00Z"), to: iso("2026-01-02T00:02:00Z") }),
    );
    expect(counts(minutes)).toEqual([
      ["2026-01-01T23:59:00.000Z", 1],
      ["2026-01-02T00:00:00.000Z", 0],
      ["2026-01-02T00:01:00.000Z", 1],
    ]);
  });

  it("a partial range widens to whole buckets, the same for series and totals", async () => {
    const p = params({ interval: "hour", from: iso("2026-01-01T23:30:00Z"), to: iso("2026-01-02T00:00:30Z") });
    const series = await getUsageSeries(p);
    const totals = await getUsageTotals(p);
    expect([series.from.toISOString(), series.to.toISOString()]).toEqual([
      "2026-01-01T23:00:00.000Z",
      "2026-01-02T01:00:00.000Z",
    ]);
    expect(totals.total).toBe(2);
  });

  it("DST: the New York day of the spring change has 23 hours, the autumn one 25", async () => {
    const keyId = (await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: orgId } })).id;
    // 2026-03-09T03:30Z is 23:30 EDT on 8 March; 2026-11-02T04:30Z is 23:30 EST on 1 November.
    await writeUsageBatch(db.current.client, [
      event(orgId, keyId, iso("2026-03-09T03:30:00Z")),
      event(orgId, keyId, iso("2026-11-02T04:30:00Z")),
    ]);
    const spring = await getUsageSeries(
      params({
        timeZone: "America/New_York",
        from: iso("2026-03-08T12:00:00Z"),
        to: iso("2026-03-09T12:00:00Z"),
        now: iso("2026-03-10T00:00:00Z"),
      }),
    );
    expect(counts(spring)).toEqual([
      ["2026-03-08T05:00:00.000Z", 1],
      ["2026-03-09T04:00:00.000Z", 0],
    ]);
    const autumn = await getUsageSeries(
      params({
        timeZone: "America/New_York",
        from: iso("2026-11-01T12:00:00Z"),
        to: iso("2026-11-02T12:00:00Z"),
        now: iso("2026-11-03T00:00:00Z"),
      }),
    );
    expect(counts(autumn)).toEqual([
      ["2026-11-01T04:00:00.000Z", 1],
      ["2026-11-02T05:00:00.000Z", 0],
    ]);
  });
});

describe("series, totals, CSV and the API agree", () => {
  const now = iso("2026-04-10T12:00:00Z");
  const outcomes = [
    "valid",
    "revoked_key",
    "expired_key",
    "insufficient_scope",
    "ip_not_allowed",
    "client_id_mismatch",
    "account_suspended",
    "rate_limited",
  ];
  const perOutcome = 7;
  let orgId: string;
  let otherKeyId: string;

  beforeAll(async () => {
    const { org, keys } = await makeOrg("agree");
    const other = await makeOrg("other");
    orgId = org.id;
    otherKeyId = other.keys[0].id;
    const events: UsageEventInput[] = [];
    outcomes.forEach((o, oi) => {
      for (let i = 0; i < perOutcome; i++) {
        const ts = new Date(now.getTime() - (i * 5 + oi) * 3_600_000 - 60_000 * (i + 1));
        events.push(event(orgId, keys[i % 2].id, ts, o, 2 + i));
      }
    });
    events.push(event(other.org.id, otherKeyId, new Date(now.getTime() - 3_600_000)));
    await writeUsageBatch(db.current.client, events);
  });

  for (const tz of ["UTC", "America/New_York", "Asia/Kolkata"]) {
    it(`for the last 7 days viewed in ${tz}`, async () => {
      const { query, params: p } = rangeQuery(orgId, "7d", tz, now);
      const series = await getUsageSeries(p);
      const totals = await getUsageTotals(p);
      const expected = Object.fromEntries(outcomes.map((o) => [o, perOutcome]));
      expect(totals.outcomes).toEqual(expected);
      expect(totals.total).toBe(outcomes.length * perOutcome);
      expect(totals.keys.reduce((s, k) => s + k.total, 0)).toBe(totals.total);
      const seriesByOutcome: Record<string, number> = {};
      for (const b of series.buckets)
        for (const [o, c] of Object.entries(b.outcomes)) seriesByOutcome[o] = (seriesByOutcome[o] ?? 0) + c;
      expect(seriesByOutcome).toEqual(expected);

      const api = await usageApi(orgId, new URLSearchParams({ range: "7d", tz }), now);
      expect(api.status).toBe(200);
      const body = api.body as {
        data: { start: string; total: number; outcomes: Record<string, number> }[];
        totals: { outcomes: Record<string, number> };
      };
      expect(body.data).toEqual(
        series.buckets.map((b) => ({
          start: b.start.toISOString(),
          total: b.total,
          outcomes: b.outcomes,
          avgLatencyMs: b.avgLatencyMs,
          credits: b.credits,
        })),
      );
      expect(body.totals.outcomes).toEqual(expected);

      const csv = (await usageCsv(orgId, query, now)).trim().split("\r\n").slice(1);
      const csvByOutcome: Record<string, number> = {};
      for (const line of csv) {
        const cells = line.split(",");
        csvByOutcome[cells[4]] = (csvByOutcome[cells[4]] ?? 0) + Number(cells[6]);
      }
      expect(csvByOutcome).toEqual(expected);
    });
  }

  it("a key filter narrows everything to that key", async () => {
    const key = await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: orgId, name: "alpha" } });
    const api = await usageApi(orgId, new URLSearchParams({ range: "7d", keyId: key.id }), now);
    const body = api.body as { totals: { total: number; keys: { keyId: string }[] } };
    expect(body.totals.keys.map((k) => k.keyId)).toEqual([key.id]);
    expect(body.totals.total).toBe(outcomes.length * 4);
  });

  it("answers 400 naming the parameter for bad input and 404 for another organization's key", async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ from: "2026-04-09T00:00:00Z", to: "2026-04-01T00:00:00Z" }, 400, /^from: /],
      [{ from: "2025-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z" }, 400, /^to: .*400 days/],
      [{ interval: "week" }, 400, /^interval: /],
      [{ from: "yesterday" }, 400, /^from: /],
      [{ from: "2026-02-30" }, 400, /^from: /],
      [{ tz: "Mars/Olympus_Mons" }, 400, /^tz: /],
      [{ range: "30d", interval: "minute" }, 400, /^interval: /],
      [{ keyId: otherKeyId }, 404, /^keyId: /],
      [{ keyId: "no-such-key" }, 404, /^keyId: /],
    ];
    for (const [params, status, message] of cases) {
      const res = await usageApi(orgId, new URLSearchParams(params), now);
      expect(res.status, JSON.stringify(params)).toBe(status);
      const error = (res.body as { error: { code: string; message: string } }).error;
      expect(error.code).toBe(status === 400 ? "invalid_request" : "not_found");
      expect(error.message).toMatch(message);
    }
  });
});
