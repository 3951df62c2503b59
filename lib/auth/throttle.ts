// Throttles for the unauthenticated account forms. Sign-up and forgot password count per client IP and per email in
// memory: they slow down one abuser per process, they are not a shared quota. Sign-in counts per client IP on the
// rate-limit store (RATE_LIMIT_STORE: shared across instances when it is postgres or redis).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "../errors";
import { env } from "../env";
import { rateLimiter } from "../ratelimit/limiter";

const HOUR_S = 3600;
// Reset-link requests: per client IP, and per address so one mailbox is not flooded.
export const RESET_REQUESTS_PER_IP_PER_HOUR = 10;
export const RESET_REQUESTS_PER_EMAIL_PER_HOUR = 3;

const limiters = new Map<string, RateLimiterMemory>();

function limiter(name: string, points: number): RateLimiterMemory {
  let found = limiters.get(name);
  if (!found) {
    found = new RateLimiterMemory({ points, duration: HOUR_S, keyPrefix: name });
    limiters.set(name, found);
  }
  return found;
}

// Counts one attempt under `key`; throws ApiError rate_limited with `message` + the wait when over the hourly limit.
async function consume(name: string, points: number, key: string, message: string): Promise<void> {
  try {
    await limiter(name, points).consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const minutes = Math.max(1, Math.ceil(err.msBeforeNext / 60000));
    throw new ApiError("rate_limited", `${message} Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
  }
}

// One sign-up from this client IP (SIGNUP_RATE_LIMIT_PER_HOUR an hour).
export function throttleSignUp(ip: string | null): Promise<void> {
  return consume("signup", env().SIGNUP_RATE_LIMIT_PER_HOUR, ip ?? "unknown", "Too many sign-ups from your network.");
}

// One reset-link request from this client IP for this address; both limits apply.
export async function throttleResetRequest(ip: string | null, email: string): Promise<void> {
  await consume(
    "reset-ip",
    RESET_REQUESTS_PER_IP_PER_HOUR,
    ip ?? "unknown",
    "Too many reset requests from your network.",
  );
  await consume("reset-email", RESET_REQUESTS_PER_EMAIL_PER_HOUR, email, "Too many reset requests for this address.");
}

// One sign-in attempt from this client IP (SIGNIN_RATE_LIMIT_PER_MINUTE a minute), whatever the email: one network
// cannot spray guesses over many accounts, nor load the server with password hashing.
export async function throttleSignIn(ip: string | null): Promise<void> {
  const result = await rateLimiter().consume(`signin:${ip ?? "unknown"}`, env().SIGNIN_RATE_LIMIT_PER_MINUTE);
  if (result.allowed) return;
  const wait = result.retryAfter;
  throw new ApiError(
    "rate_limited",
    `Too many sign-in attempts from your network. Try again in ${wait} second${wait === 1 ? "" : "s"}.`,
  );
}
