// Time-zone helpers (IANA names via Intl): validation, wall-clock → instant, and labels in the viewer's zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// True for an IANA time-zone name this runtime knows (e.g. "Europe/Paris", "UTC"); offsets and abbreviations are refused.
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    partsFormatter(value);
    return true;
  } catch {
    return false;
  }
}

// Zones whose offset is always zero: UTC day rollups can serve their day buckets directly.
export function isUtcZone(timeZone: string): boolean {
  return [
    "UTC",
    "Etc/UTC",
    "Etc/UCT",
    "Etc/GMT",
    "GMT",
    "Etc/Universal",
    "Etc/Zulu",
    "Universal",
    "Zulu",
    "UCT",
  ].includes(timeZone);
}

function wallClock(ms: number, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(ms)))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

// The zone's offset from UTC at instant `ms`, in milliseconds.
function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

// The instant at which clocks in `timeZone` show the given wall-clock time (given as if it were UTC milliseconds); a time skipped by DST moves forward, a repeated one takes the first.
export function zonedWallTimeToUtc(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(wallMs, timeZone);
  const second = wallMs - zoneOffsetMs(first, timeZone);
  const exact = [first, second].filter((ms) => ms + zoneOffsetMs(ms, timeZone) === wallMs);
  return exact.length ? Math.min(...exact) : Math.max(first, second);
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

// ISO 8601 text of an instant in the zone, with its offset: 2026-01-02T05:30:00+05:30.
export function formatIsoInZone(date: Date, timeZone: string): string {
  const ms = date.getTime();
  const w = wallClock(ms, timeZone);
  const offMin = Math.round(zoneOffsetMs(ms, timeZone) / 60000);
  const sign = offMin < 0 ? "-" : "+";
  const offset = offMin === 0 ? "Z" : `${sign}${pad(Math.trunc(offMin / 60))}:${pad(offMin % 60)}`;
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offset}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Short label of a bucket start in the zone: "2 Jan" for days, "2 Jan 14:00" for hours and minutes.
export function formatBucketLabel(date: Date, interval: "minute" | "hour" | "day", timeZone: string): string {
  const w = wallClock(date.getTime(), timeZone);
  const day = `${w.day} ${MONTHS[w.month - 1]}`;
  return interval === "day" ? day : `${day} ${pad(w.hour)}:${pad(w.minute)}`;
}

// "yyyy-mm-ddThh:mm" of an instant in the zone, the value a datetime-local input shows.
export function toDateTimeLocal(date: Date, timeZone: string): string {
  return formatIsoInZone(date, timeZone).slice(0, 16);
}
