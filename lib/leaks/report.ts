// Public leak reports (POST /api/v1/leaks/report): anyone may report a key they found, so the answer must never tell a
// real key from a made-up one. The request only counts the reporter against a per-IP limit, checks the format offline
// and queues the string; the lookup and the leak response run after the answer, one report at a time, so every report
// gets the same answer in the same time. The queue is drained at shutdown.
import { parseKey } from "../keys/format";
import { mailIdle } from "../mail";
import { rateLimiter, rateLimitHeaders } from "../ratelimit/limiter";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";
import { toApiError } from "../api/errors";
import type { LeakReportData } from "../validations/leaks";
import { handleLeak } from "./service";

// Reports one client address may make per minute (on the shared limiter store, so across instances with
// RATE_LIMIT_STORE=postgres or redis).
export const LEAK_REPORTS_PER_MINUTE = 10;
// Reports waiting beyond this are dropped (logged): a flood from many addresses cannot grow the queue without bound.
const MAX_QUEUED = 1000;

type Job = { report: LeakReportData; ip: string | null };
type Queue = { jobs: Job[]; running: Promise<void> | null };

const queue = processSingleton<Queue>("leak-report-queue", () => ({ jobs: [], running: null }));

// Counts one report from this address: whether it is within the limit, and the rate-limit headers of the answer.
export async function countLeakReport(
  ip: string | null,
): Promise<{ allowed: boolean; headers: Record<string, string> }> {
  const result = await rateLimiter().consume(`leak-report:${ip ?? "unknown"}`, LEAK_REPORTS_PER_MINUTE);
  return { allowed: result.allowed, headers: rateLimitHeaders(result) };
}

// Accepts a report: a string in the key format is queued for handling, anything else is dropped here (it is no key).
export function acceptLeakReport(report: LeakReportData, ip: string | null): void {
  if (!parseKey(report.key)) return;
  if (queue.jobs.length >= MAX_QUEUED) {
    console.error("leak report dropped: the queue is full");
    return;
  }
  queue.jobs.push({ report, ip });
  queue.running ??= drain();
}

async function drain(): Promise<void> {
  onShutdown("leak-reports", leakReportsIdle);
  try {
    for (let job = queue.jobs.shift(); job; job = queue.jobs.shift()) {
      try {
        await handleLeak({ secret: job.report.key, source: "report", url: job.report.url ?? null }, { ip: job.ip });
      } catch (err) {
        toApiError(err, "leak report");
      }
    }
  } finally {
    queue.running = null;
  }
}

// Resolves once every queued report has been handled and its mails handed over (at shutdown, whatever order the
// hooks run in, and in tests).
export async function leakReportsIdle(): Promise<void> {
  while (queue.running) await queue.running;
  await mailIdle();
}
