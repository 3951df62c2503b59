// The usage CSV export against formula injection: key names (and any other text cell) that a spreadsheet would run as
// a formula come out with a leading apostrophe; ordinary values are unchanged; the file still parses as RFC 4180 CSV
// with one record per row and the same columns.
import { beforeAll, describe, expect, it } from "vitest";
import { csvCell, usageCsv } from "@/lib/usage/csv";
import { usageOutcome } from "@/lib/usage/outcomes";
import { writeUsageBatch } from "@/lib/usage/writer";
import { usageQuerySchema } from "@/lib/validations/usage";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const now = new Date("2026-04-10T12:00:00Z");

// Names as rows made before names refused control characters may hold them, plus ordinary ones.
const NAMES = {
  hyperlink: '=HYPERLINK("http://x")',
  plus: "+1+cmd|' /C calc'!A0",
  minus: "-2+3",
  at: "@SUM(A1:A2)",
  tab: "\t=1+1",
  cr: "\r=1+1",
  plain: "production",
  comma: "eu, west",
  quoted: 'say "hi"',
  inner: "a=b+c",
} as const;

// RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, quotes ("") and line breaks.
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
      if (text[i] !== "," && text[i] !== "\r") throw new Error(`text after a closing quote at ${i}`);
    } else if (c === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (c === "\r" || c === "\n" || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} in an unquoted field at ${i}`);
    } else field += text[i++];
  }
  if (field !== "" || record.length > 0) throw new Error("last record not terminated by CRLF");
  return records;
}

let orgId = "";
const idOf: Record<string, string> = {};

beforeAll(async () => {
  const c = db.current.client;
  const org = await c.organization.create({ data: { name: "CSV", slug: "csv", clientId: "kh_client_csv" } });
  orgId = org.id;
  let n = 0;
  for (const [label, name] of Object.entries(NAMES)) {
    const key = await c.apiKey.create({
      data: {
        organizationId: org.id,
        name,
        activeName: `${label}`,
        prefix: `kh_live_${String(n).padStart(4, "0")}`,
        hash: `csv-${label}`,
        environment: "live",
        scopes: ["read"],
      },
    });
    idOf[label] = key.id;
    n++;
  }
  await writeUsageBatch(
    c,
    Object.values(idOf).map((keyId, i) => ({
      keyId,
      organizationId: org.id,
      ts: new Date(now.getTime() - (i + 1) * 60_000),
      route: "/api/v1/keys",
      method: "GET",
      status: 200,
      outcome: usageOutcome("valid"),
      ip: null,
      latencyMs: 4,
    })),
  );
});

describe("usage CSV export", () => {
  it("prefixes formula-like key names with an apostrophe, leaves ordinary values as they are, and still parses", async () => {
    const query = usageQuerySchema(now).parse({ range: "24h", tz: "UTC" });
    const records = parseCsv(await usageCsv(orgId, query, now));
    const [header, ...rows] = records;
    expect(header).toEqual([
      "bucket_start",
      "key_id",
      "key_name",
      "key_prefix",
      "outcome",
      "outcome_label",
      "requests",
      "avg_latency_ms",
    ]);
    expect(rows).toHaveLength(Object.keys(NAMES).length);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const nameOf = Object.fromEntries(rows.map((r) => [r[1], r[2]]));
    const expected: Record<keyof typeof NAMES, string> = {
      hyperlink: `'=HYPERLINK("http://x")`,
      plus: "'+1+cmd|' /C calc'!A0",
      minus: "'-2+3",
      at: "'@SUM(A1:A2)",
      tab: "'\t=1+1",
      cr: "'\r=1+1",
      plain: "production",
      comma: "eu, west",
      quoted: 'say "hi"',
      inner: "a=b+c",
    };
    for (const [label, name] of Object.entries(expected)) expect(nameOf[idOf[label]], label).toBe(name);
    // No cell of any column starts with a formula character once parsed.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // Ordinary cells untouched: counts, latencies, outcomes, prefixes, timestamps.
    for (const row of rows) {
      expect(row[0]).toMatch(/^2026-04-1\dT\d\d:\d\d:00(Z|[+-]\d\d:\d\d)$/);
      expect(row[3]).toMatch(/^kh_live_\d{4}$/);
      expect(row.slice(4)).toEqual(["valid", expect.any(String), "1", "4"]);
    }
  });

  it("writes numbers as they are, negative ones too, and quotes what needs quoting", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell("-")).toBe("'-");
    expect(csvCell("=1,2")).toBe(`"'=1,2"`);
    expect(csvCell('=A1&"x"')).toBe(`"'=A1&""x"""`);
    expect(csvCell("plain text")).toBe("plain text");
  });
});
