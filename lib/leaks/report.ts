// Public leak reports (POST /api/v1/leaks/report): anyone may report a key they found, so the answer must never tell a
// real key from a made-up one. The request only counts the reporter against a per-IP limit, checks the format offline
// and queues the string; the lookup and the leak response run after the answer, one report at a time, so every report
// gets the same answer in the same time. The queue is drained at shutdown.
import { parseKey } from "../keys/format";
import { rateLimiter, rateLimitHeaders } from "../ratelimit/limiter";
import type { LeakReportData } from "../validations/leaks";
import { workQueue } from "../work-queue";
import { handleLeak } from "./service";

// Reports one client address may make per minute (on the shared limiter store, so across instances with
// RATE_LIMIT_STORE=postgres or redis).
export const LEAK_REPORTS_PER_MINUTE = 10;

type Job = { report: LeakReportData; ip: string | null };

// Reports waiting beyond the queue's bound (1000) are dropped: a flood from many addresses cannot grow it without bound.
const queue = workQueue<Job>("leak-reports", (job) =>
  handleLeak({ secret: job.report.key, source: "report", url: job.report.url ?? null }, { ip: job.ip }),
);

// Counts one report from this address: whether it is within the limit, and the rate-limit headers of the answer.
export async function countLeakReport(
  ip: string | null,
): Promise<{ allowed: boolean; headers: Record<string, string> }> {
  const result = await rateLimiter().consume(`leak-report:${ip ?? "unknown"}`, LEAK_REPORTS_PER_MINUTE);
  return { allowed: result.allowed, headers: rateLimitHeaders(result) };
}

// Accepts a report: a string in the key format is queued for handling, anything else is dropped here (it is no key).
export function acceptLeakReport(report: LeakReportData, ip: string | null): void {
  if (parseKey(report.key)) queue.push({ report, ip });
}

// Resolves once every queued report has been handled and its mails handed over (at shutdown, whatever order the
// hooks run in, and in tests).
export function leakReportsIdle(): Promise<void> {
  return queue.idle();
}
