// keyhold usage: the organization's requests over time as a small chart, with totals by outcome and by key.
import type { Usage, UsageQuery } from "@keyhold/sdk";
import type { Command } from "commander";
import { action, clientFor } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { out, sparkline, style, table, when } from "../output.js";

function render(usage: Usage) {
  const totals = usage.data.map((b) => b.total);
  const peak = Math.max(0, ...totals);
  out(`${style.bold("Requests")} per ${usage.interval}, ${when(usage.from)} → ${when(usage.to)} (${usage.timeZone})`);
  out(`${sparkline(totals)}  ${style.dim(`peak ${peak}`)}`);
  out();
  const outcomes = Object.entries(usage.totals.outcomes as Record<string, number | undefined>)
    .filter(([, n]) => n)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0));
  table(
    ["OUTCOME", "REQUESTS"],
    [
      ...outcomes.map(([outcome, n]) => [outcome === "valid" ? style.green(outcome) : outcome, String(n)]),
      [style.bold("total"), String(usage.totals.total)],
    ],
  );
  out();
  out(
    `Success rate: ${usage.totals.successRate === null ? "-" : `${(usage.totals.successRate * 100).toFixed(1)} %`}` +
      `   Credits spent: ${usage.totals.credits}`,
  );
  if (usage.totals.keys.length) {
    out();
    table(
      ["KEY", "PREFIX", "REQUESTS", "CREDITS"],
      usage.totals.keys.map((k) => [k.name, k.prefix ? `${k.prefix}…` : "-", String(k.total), String(k.credits)]),
    );
  }
}

// Adds `usage` to the program.
export function usageCommand(program: Command) {
  program
    .command("usage")
    .description("requests over time (a small chart) and totals by outcome and key")
    .option("--range <range>", "24h, 7d or 30d (default 24h unless --from is given)")
    .option("--from <date>", "start (ISO 8601 date or date-time)")
    .option("--to <date>", "end (ISO 8601 date or date-time)")
    .option("--interval <interval>", "minute, hour or day (default: fits the range)")
    .option("--key <id>", "one key's usage")
    .option("--tz <zone>", "IANA time zone for day buckets and dates without an offset")
    .action(
      action(
        async (
          g,
          opts: { range?: string; from?: string; to?: string; interval?: string; key?: string; tz?: string },
        ) => {
          if (opts.range && !["24h", "7d", "30d"].includes(opts.range))
            throw new UsageError(`--range must be 24h, 7d or 30d: ${opts.range}`);
          if (opts.interval && !["minute", "hour", "day"].includes(opts.interval))
            throw new UsageError(`--interval must be minute, hour or day: ${opts.interval}`);
          const query: UsageQuery = {
            ...(opts.range
              ? { range: opts.range as UsageQuery["range"] }
              : opts.from || opts.to
                ? { range: "custom" }
                : {}),
            ...(opts.from ? { from: opts.from } : {}),
            ...(opts.to ? { to: opts.to } : {}),
            ...(opts.interval ? { interval: opts.interval as UsageQuery["interval"] } : {}),
            ...(opts.key ? { keyId: opts.key } : {}),
            ...(opts.tz ? { tz: opts.tz } : {}),
          };
          const usage = await clientFor(g).usage(query);
          return { json: usage, human: () => render(usage) };
        },
      ),
    );
}
