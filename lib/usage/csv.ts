// The usage export: the same query as the dashboard's report, as CSV rows that sum to its totals table.
import { db } from "../db";
import type { UsageQuery } from "../validations/usage";
import { outcomeLabel } from "./outcomes";
import { getUsageRows } from "./queries";
import { usageParamsFor } from "./report";
import { formatIsoInZone } from "./time-zone";

// One CSV cell. Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return, as a key
// named `=HYPERLINK(…)` would) gets a leading apostrophe, which spreadsheets read as "this is text"; a cell holding a
// quote, comma or line break is quoted. Numbers are written as they are.
export function csvCell(v: string | number | null): string {
  const text = v === null ? "" : String(v);
  const s = typeof v === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// CSV of the query: one row per bucket × key × outcome, bucket starts in the viewer's zone; the rows sum to the totals table.
export async function usageCsv(organizationId: string, query: UsageQuery, now = new Date()): Promise<string> {
  const params = usageParamsFor({ organizationId }, query, now);
  const rows = await getUsageRows(params);
  const keys = await db.apiKey.findMany({
    where: { organizationId, id: { in: [...new Set(rows.map((r) => r.keyId))] } },
    select: { id: true, name: true, prefix: true },
  });
  const meta = new Map(keys.map((k) => [k.id, k]));
  const lines = [
    ["bucket_start", "key_id", "key_name", "key_prefix", "outcome", "outcome_label", "requests", "avg_latency_ms"].join(
      ",",
    ),
  ];
  for (const r of rows) {
    const k = meta.get(r.keyId);
    lines.push(
      [
        formatIsoInZone(r.start, query.timeZone),
        r.keyId,
        k?.name ?? "(deleted key)",
        k?.prefix ?? "",
        r.outcome,
        outcomeLabel(r.outcome),
        r.count,
        r.avgLatencyMs,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
