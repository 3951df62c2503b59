// Per-key rate limits over one-minute windows, with rate-limiter-flexible: in memory, or shared through PostgreSQL or Redis.
import { Redis } from "ioredis";
import { Pool } from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { env } from "../env";
import type { Plan } from "../generated/prisma/enums";
import { processSingleton } from "../singleton";

const WINDOW_SECONDS = 60;

// Requests per minute for each plan, unless a key carries its own limit.
export const PLAN_LIMITS: Record<Plan, number> = { FREE: 60, PRO: 600, ENTERPRISE: 6000 };

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  // Epoch seconds at which the current window ends.
  reset: number;
  // Seconds to wait before retrying (0 when allowed).
  retryAfter: number;
}

export type RateLimitStore = { kind: "memory" } | { kind: "postgres"; url: string } | { kind: "redis"; url: string };

// The limit that applies to a key: its own override, else its owner's plan.
export function effectiveLimit(plan: Plan, override: number | null | undefined): number {
  return override ?? PLAN_LIMITS[plan];
}

// The store counts requests per key and window; the threshold is applied here, so one counter serves every limit
// and a changed plan or override applies at once.
const UNBOUNDED = 2 ** 31 - 1;

export class KeyRateLimiter {
  private readonly limiter: RateLimiterAbstract;
  private readonly pool?: Pool;
  private readonly redis?: Redis;

  constructor(store: RateLimitStore, windowSeconds = WINDOW_SECONDS) {
    const common = { points: UNBOUNDED, duration: windowSeconds, keyPrefix: "kh" };
    if (store.kind === "memory") {
      this.limiter = new RateLimiterMemory(common);
      return;
    }
    // If the shared store fails, each process falls back to its own memory counter rather than refusing traffic.
    const insuranceLimiter = new RateLimiterMemory(common);
    if (store.kind === "postgres") {
      this.pool = new Pool({ connectionString: store.url, max: 10 });
      this.limiter = new RateLimiterPostgres({
        ...common,
        storeClient: this.pool,
        tableName: "rate_limits",
        tableCreated: true,
        insuranceLimiter,
      });
    } else {
      this.redis = new Redis(store.url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
      this.limiter = new RateLimiterRedis({ ...common, storeClient: this.redis, insuranceLimiter });
    }
  }

  // Counts one request for the key against `limit` per minute.
  async consume(keyId: string, limit: number): Promise<RateLimitResult> {
    const now = Date.now();
    const res = await this.limiter.consume(keyId);
    const allowed = res.consumedPoints <= limit;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - res.consumedPoints),
      reset: Math.ceil((now + res.msBeforeNext) / 1000),
      retryAfter: allowed ? 0 : Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  // Closes store connections (tests, shutdown).
  async close(): Promise<void> {
    await this.pool?.end();
    this.redis?.disconnect();
  }
}

const shared = processSingleton<{ limiter?: KeyRateLimiter }>("rate-limiter", () => ({}));

// The process's limiter, on the store RATE_LIMIT_STORE selects.
export function rateLimiter(): KeyRateLimiter {
  if (!shared.limiter) {
    const { RATE_LIMIT_STORE, DATABASE_URL, REDIS_URL } = env();
    const store: RateLimitStore =
      RATE_LIMIT_STORE === "postgres"
        ? { kind: "postgres", url: DATABASE_URL! }
        : RATE_LIMIT_STORE === "redis"
          ? { kind: "redis", url: REDIS_URL! }
          : { kind: "memory" };
    shared.limiter = new KeyRateLimiter(store);
  }
  return shared.limiter;
}

// Replaces the process's limiter (tests use a short window), as setDb() replaces the database client.
export function setRateLimiter(limiter: KeyRateLimiter): void {
  shared.limiter = limiter;
}

// Standard rate-limit response headers (and Retry-After when refused).
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(result.limit),
    "X-RateLimit-Remaining": String(result.remaining),
    "X-RateLimit-Reset": String(result.reset),
  };
  if (!result.allowed) headers["Retry-After"] = String(result.retryAfter);
  return headers;
}
