// Date formatting for the dashboard: one fixed locale and UTC, so server and client render the same text.
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

// "12 Mar 2026, 14:05 UTC", or the fallback for a missing date.
export function formatDateTime(value: string | Date | null | undefined, fallback = "—"): string {
  if (!value) return fallback;
  return `${dateTime.format(typeof value === "string" ? new Date(value) : value)} UTC`;
}
