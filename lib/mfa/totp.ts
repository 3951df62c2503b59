// TOTP (RFC 6238) with otplib: 30 s step, 6 digits, ±1 step; reports the matched step so callers refuse replays.
import { generateSecret, generateURI, verifySync } from "otplib";

export const TOTP_PERIOD_S = 30;
const TOTP_ISSUER = "Keyhold";
// How far back a code is recognised as "expired" rather than simply wrong.
const EXPIRED_LOOKBACK_S = 10 * 60;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid" | "expired" | "reused" };

// A new random base32 secret (20 bytes, as authenticator apps expect).
export function createTotpSecret(): string {
  return generateSecret();
}

// The otpauth:// URI for the enrolment QR code.
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret, period: TOTP_PERIOD_S });
}

// Checks a 6-digit code at `now` (epoch ms); a code whose step is at or before `lastStep` is a replay.
export function checkTotp(
  secret: string,
  code: string,
  opts: { now?: number; lastStep?: number | null } = {},
): TotpCheck {
  const epoch = Math.floor((opts.now ?? Date.now()) / 1000);
  const lastStep = opts.lastStep ?? null;
  const step = matchedStep(secret, code, epoch, TOTP_PERIOD_S);
  if (step !== null)
    return lastStep !== null && step <= lastStep ? { ok: false, reason: "reused" } : { ok: true, step };
  const late = matchedStep(secret, code, epoch, [EXPIRED_LOOKBACK_S, 0]);
  return { ok: false, reason: late !== null ? "expired" : "invalid" };
}

// The time step the code matches within the tolerance (seconds), or null.
function matchedStep(
  secret: string,
  token: string,
  epoch: number,
  epochTolerance: number | [number, number],
): number | null {
  const result = verifySync({ secret, token, epoch, epochTolerance, period: TOTP_PERIOD_S });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
