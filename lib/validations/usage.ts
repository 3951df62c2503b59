// Usage query parameters (from, to, range, interval, keyId, tz), shared by the usage pages, the CSV export and GET /api/v1/usage.
import { z } from "zod";
import { isTimeZone, zonedWallTimeToUtc } from "../usage/time-zone";
import { safeText } from "./text";

export const USAGE_INTERVALS = ["minute", "hour", "day"] as const;
export type UsageInterval = (typeof USAGE_INTERVALS)[number];
export const USAGE_RANGES = ["24h", "7d", "30d", "custom"] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];

export const MAX_RANGE_DAYS = 400;
export const MAX_BUCKETS = 1500;
export const INTERVAL_MS: Record<UsageInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const PRESET_MS: Record<Exclude<UsageRange, "custom">, number> = {
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

// The interval that fits a range: minutes up to 6 hours, hours up to 14 days, days beyond.
export function intervalFor(rangeMs: number): UsageInterval {
  if (rangeMs <= 6 * 3_600_000) return "minute";
  if (rangeMs <= 14 * 86_400_000) return "hour";
  return "day";
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

// Parses an ISO 8601 date or date-time; without an offset it is wall-clock time in `timeZone`. Null when malformed.
export function parseUsageDate(text: string, timeZone: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", offset] = m;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, "0")));
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== +y ||
    check.getUTCMonth() !== +mo - 1 ||
    check.getUTCDate() !== +d ||
    +h > 23 ||
    +mi > 59 ||
    +s > 59
  )
    return null;
  if (offset === undefined) return new Date(zonedWallTimeToUtc(wall, timeZone));
  if (offset === "Z") return new Date(wall);
  const sign = offset[0] === "-" ? -1 : 1;
  const [oh, om] = offset.slice(1).split(":").map(Number);
  if (oh > 23 || om > 59) return null;
  return new Date(wall - sign * (oh * 60 + om) * 60_000);
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().max(100).check(safeText("Date")).optional());

const rawSchema = z.object({
  range: z.preprocess(blankToUndefined, z.enum(USAGE_RANGES, { error: "Choose 24h, 7d, 30d or custom" }).optional()),
  from: optionalText,
  to: optionalText,
  interval: z.preprocess(
    (v) => (v === "auto" ? undefined : blankToUndefined(v)),
    z.enum(USAGE_INTERVALS, { error: "Interval must be minute, hour or day" }).optional(),
  ),
  keyId: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(64, "Unknown key")
      .regex(/^[A-Za-z0-9_-]+$/, "Unknown key")
      .optional(),
  ),
  tz: z.preprocess(blankToUndefined, z.string().trim().refine(isTimeZone, "Unknown time zone").optional()),
});

// The query parameters as sent (before the range is resolved): GET /api/v1/usage declares them from this schema.
export const usageParamsSchema = rawSchema;
export type UsageParamsInput = z.output<typeof rawSchema>;

export interface UsageQuery {
  range: UsageRange;
  from: Date;
  to: Date;
  interval: UsageInterval;
  keyId: string | null;
  timeZone: string;
}

// Builds the usage query schema for a given "now" (presets end now; a custom range needs from and to; defaults to the last 24 hours).
export function usageQuerySchema(now: Date = new Date()) {
  return rawSchema.transform((v, ctx): UsageQuery => {
    const timeZone = v.tz ?? "UTC";
    const range: UsageRange = v.range ?? (v.from || v.to ? "custom" : "24h");
    let from: Date | null;
    let to: Date | null;
    if (range === "custom") {
      to = v.to ? parseUsageDate(v.to, timeZone) : v.range ? null : now;
      from = v.from ? parseUsageDate(v.from, timeZone) : null;
      if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "Enter the start of the range" });
      else if (!from)
        ctx.addIssue({ code: "custom", path: ["from"], message: "Enter a valid date, e.g. 2026-01-31T14:00:00Z" });
      if (v.range && !v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "Enter the end of the range" });
      else if (!to)
        ctx.addIssue({ code: "custom", path: ["to"], message: "Enter a valid date, e.g. 2026-01-31T14:00:00Z" });
    } else {
      to = now;
      from = new Date(now.getTime() - PRESET_MS[range]);
    }
    if (!from || !to) return z.NEVER;
    const span = to.getTime() - from.getTime();
    if (span <= 0) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "The start must be before the end of the range" });
      return z.NEVER;
    }
    if (span > MAX_RANGE_DAYS * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `The range can be at most ${MAX_RANGE_DAYS} days` });
      return z.NEVER;
    }
    const interval = v.interval ?? intervalFor(span);
    if (span / INTERVAL_MS[interval] > MAX_BUCKETS) {
      ctx.addIssue({
        code: "custom",
        path: ["interval"],
        message: `Too many ${interval} buckets for this range (at most ${MAX_BUCKETS}); choose a longer interval`,
      });
      return z.NEVER;
    }
    return { range, from, to, interval, keyId: v.keyId ?? null, timeZone };
  });
}

// The query parameters of a URL (or a page's searchParams) as the schema's input.
export function usageParams(
  source: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const get = (k: string) => {
    const v = source instanceof URLSearchParams ? (source.get(k) ?? undefined) : source[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    range: get("range"),
    from: get("from"),
    to: get("to"),
    interval: get("interval"),
    keyId: get("keyId"),
    tz: get("tz"),
  };
}
