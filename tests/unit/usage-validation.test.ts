import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/validations/field-errors";
import { intervalFor, parseUsageDate, usageQuerySchema } from "@/lib/validations/usage";
import { formatIsoInZone, isTimeZone, zonedWallTimeToUtc } from "@/lib/usage/time-zone";
import { usageOutcome } from "@/lib/usage/outcomes";

const now = new Date("2026-05-15T12:34:56Z");
const parse = (input: Record<string, string | undefined>) => usageQuerySchema(now).safeParse(input);
const errorsOf = (input: Record<string, string | undefined>) => {
  const r = parse(input);
  if (r.success) throw new Error("expected an error");
  return fieldErrors(r.error);
};

describe("usage query schema", () => {
  it("defaults to the last 24 hours in UTC with hourly buckets", () => {
    const r = parse({});
    expect(r.success && r.data).toEqual({
      range: "24h",
      from: new Date("2026-05-14T12:34:56Z"),
      to: now,
      interval: "hour",
      keyId: null,
      timeZone: "UTC",
    });
  });

  it("chooses the interval from the span: minutes to 6 h, hours to 14 d, days beyond", () => {
    expect(intervalFor(6 * 3_600_000)).toBe("minute");
    expect(intervalFor(6 * 3_600_000 + 1)).toBe("hour");
    expect(intervalFor(14 * 86_400_000)).toBe("hour");
    expect(intervalFor(14 * 86_400_000 + 1)).toBe("day");
    expect(parse({ range: "30d" }).data?.interval).toBe("day");
    expect(parse({ range: "30d", interval: "hour" }).data?.interval).toBe("hour");
    expect(parse({ range: "7d", interval: "auto" }).data?.interval).toBe("hour");
  });

  it("reads dates with an offset as instants and without one as wall-clock time in tz", () => {
    const r = parse({ from: "2026-05-01", to: "2026-05-02T06:30", tz: "Asia/Kolkata" });
    expect(r.success && [r.data.from.toISOString(), r.data.to.toISOString(), r.data.range]).toEqual([
      "2026-04-30T18:30:00.000Z",
      "2026-05-02T01:00:00.000Z",
      "custom",
    ]);
    expect(parseUsageDate("2026-05-01T10:00:00-04:00", "UTC")?.toISOString()).toBe("2026-05-01T14:00:00.000Z");
    expect(parseUsageDate("2026-05-01T10:00:00.5Z", "UTC")?.toISOString()).toBe("2026-05-01T10:00:00.500Z");
  });

  it("names the parameter of each error", () => {
    expect(errorsOf({ from: "2026-05-10", to: "2026-05-01" })).toEqual({
      from: "The start must be before the end of the range",
    });
    expect(errorsOf({ from: "2026-05-10", to: "2026-05-10" })).toHaveProperty("from");
    expect(errorsOf({ from: "2025-01-01", to: "2026-05-01" })).toEqual({ to: "The range can be at most 400 days" });
    expect(errorsOf({ interval: "week" })).toEqual({ interval: "Interval must be minute, hour or day" });
    expect(errorsOf({ from: "31/01/2026" })).toHaveProperty("from");
    expect(errorsOf({ from: "2026-02-30" })).toHaveProperty("from");
    expect(errorsOf({ from: "2026-01-01T25:00" })).toHaveProperty("from");
    expect(errorsOf({ from: "2026-01-01", to: "soon" })).toHaveProperty("to");
    expect(errorsOf({ tz: "Not/AZone" })).toEqual({ tz: "Unknown time zone" });
    expect(errorsOf({ tz: "+05:30" })).toEqual({ tz: "Unknown time zone" });
    expect(errorsOf({ range: "1y" })).toHaveProperty("range");
    expect(errorsOf({ range: "custom" })).toEqual({
      from: "Enter the start of the range",
      to: "Enter the end of the range",
    });
    expect(errorsOf({ range: "7d", interval: "minute" })).toHaveProperty("interval");
    expect(errorsOf({ keyId: "x'; DROP TABLE" })).toEqual({ keyId: "Unknown key" });
  });
});

describe("time zones", () => {
  it("knows IANA names and refuses the rest", () => {
    expect(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu"].every(isTimeZone)).toBe(true);
    expect(["", "Nowhere/City", "EST5EDT;", "../etc/passwd"].some(isTimeZone)).toBe(false);
  });

  it("converts wall-clock time to instants across DST", () => {
    expect(new Date(zonedWallTimeToUtc(Date.UTC(2026, 2, 8, 1, 30), "America/New_York")).toISOString()).toBe(
      "2026-03-08T06:30:00.000Z",
    );
    expect(new Date(zonedWallTimeToUtc(Date.UTC(2026, 2, 8, 3, 30), "America/New_York")).toISOString()).toBe(
      "2026-03-08T07:30:00.000Z",
    );
    expect(new Date(zonedWallTimeToUtc(Date.UTC(2026, 0, 1, 0, 0), "Asia/Kathmandu")).toISOString()).toBe(
      "2025-12-31T18:15:00.000Z",
    );
    // 02:30 does not exist on 8 March in New York (moves forward); 01:30 on 1 November happens twice (the first is taken).
    expect(new Date(zonedWallTimeToUtc(Date.UTC(2026, 2, 8, 2, 30), "America/New_York")).toISOString()).toBe(
      "2026-03-08T07:30:00.000Z",
    );
    expect(new Date(zonedWallTimeToUtc(Date.UTC(2026, 10, 1, 1, 30), "America/New_York")).toISOString()).toBe(
      "2026-11-01T05:30:00.000Z",
    );
  });

  it("formats instants with the zone's offset", () => {
    expect(formatIsoInZone(new Date("2026-01-01T18:30:00Z"), "Asia/Kolkata")).toBe("2026-01-02T00:00:00+05:30");
    expect(formatIsoInZone(new Date("2026-07-01T04:00:00Z"), "America/New_York")).toBe("2026-07-01T00:00:00-04:00");
    expect(formatIsoInZone(new Date("2026-07-01T04:00:00Z"), "UTC")).toBe("2026-07-01T04:00:00Z");
  });
});

describe("outcome vocabulary", () => {
  it("maps verify codes and REST codes to one lower-case vocabulary", () => {
    expect(
      ["VALID", "NOT_FOUND", "EXPIRED", "REVOKED", "IP_NOT_ALLOWED", "INSUFFICIENT_SCOPE", "RATE_LIMITED"].map(
        usageOutcome,
      ),
    ).toEqual([
      "valid",
      "invalid_key",
      "expired_key",
      "revoked_key",
      "ip_not_allowed",
      "insufficient_scope",
      "rate_limited",
    ]);
    expect(usageOutcome("account_suspended")).toBe("account_suspended");
    expect(() => usageOutcome("teapot")).toThrow();
  });
});
