// The viewer's IANA time zone: the `tz` query parameter, else the cookie the browser sets (components/usage/time-zone-sync.tsx), else UTC.
import { cookies } from "next/headers";
import { isTimeZone } from "./time-zone";

export const TIME_ZONE_COOKIE = "kh_tz";

// Resolves the zone in which charts, tables and CSV label their buckets.
export async function viewerTimeZone(requested?: string): Promise<string> {
  if (requested && isTimeZone(requested)) return requested;
  const fromCookie = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return fromCookie && isTimeZone(fromCookie) ? fromCookie : "UTC";
}
