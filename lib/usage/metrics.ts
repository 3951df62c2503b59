// Prometheus metrics for verifications and the usage writer, in one registry per process (lib/singleton: Next.js may load this module twice).
import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { env } from "../env";
import { processSingleton } from "../singleton";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "keyhold_" });
  return {
    registry,
    verifications: new Counter({
      name: "keyhold_verifications_total",
      help: "Key verifications that identified a key, by outcome (valid or the rejection code).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "keyhold_verification_duration_seconds",
      help: "Time from receiving a key-authenticated request to its verification result.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    bufferSize: new Gauge({
      name: "keyhold_usage_buffer_events",
      help: "Usage events waiting in memory to be written.",
      registers: [registry],
    }),
    dropped: new Counter({
      name: "keyhold_usage_events_dropped_total",
      help: "Usage events dropped because the in-memory buffer was full (database unreachable for long).",
      registers: [registry],
    }),
    written: new Counter({
      name: "keyhold_usage_events_written_total",
      help: "Usage events written to the database.",
      registers: [registry],
    }),
    flushErrors: new Counter({
      name: "keyhold_usage_flush_errors_total",
      help: "Failed attempts to write a batch of usage events (retried).",
      registers: [registry],
    }),
  };
}

// The verification counter per outcome, its labelled child looked up once per outcome rather than on every request.
function withOutcomeChildren(metrics: ReturnType<typeof createMetrics>) {
  const children = new Map<string, Counter.Internal>();
  return {
    ...metrics,
    verificationsBy(outcome: string): Counter.Internal {
      let child = children.get(outcome);
      if (!child) children.set(outcome, (child = metrics.verifications.labels({ outcome })));
      return child;
    },
  };
}

export type UsageMetrics = ReturnType<typeof withOutcomeChildren>;

// The process-wide metrics, created on first use.
export function usageMetrics(): UsageMetrics {
  return processSingleton("usage-metrics", () => withOutcomeChildren(createMetrics()));
}

// The Prometheus text exposition of every metric, with its content type.
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = usageMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

// Who may scrape: "disabled" while METRICS_TOKEN is unset (404), "denied" without the right bearer token (401), else "ok".
export function metricsAccess(authorization: string | null): "disabled" | "denied" | "ok" {
  const token = env().METRICS_TOKEN;
  if (!token) return "disabled";
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim() ?? "";
  return timingSafeEqual(digest(presented), digest(token)) ? "ok" : "denied";
}
