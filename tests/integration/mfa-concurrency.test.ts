// The MFA lockout under concurrency: a burst of codes (sign-in, step-up, recovery, disabling) gets at most 5 checks,
// and a right code sent after the burst is refused as locked. Runs on PGlite and, under test:pg, on PostgreSQL.
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { hashRecoveryCode } from "@/lib/mfa/recovery";
import { confirmEnrolment, disableMfa, startEnrolment, verifyChallenge } from "@/lib/mfa/service";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";
const MAX_CHECKS = 5;
const BURST = 40;

async function enrolledUser(email: string) {
  const user = await createAccount({ email, password, confirmPassword: password }, null);
  const { secret } = await startEnrolment(user.id);
  // Enrolled with the previous step's code, so the current code is still unspent for the burst.
  const previous = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) - 30 });
  await confirmEnrolment(user.id, previous, { now: new Date(Date.now() - 30_000) });
  const recoveryCodes = await db.current.client.recoveryCode.count({ where: { userId: user.id } });
  expect(recoveryCodes).toBe(10);
  return { user, secret };
}

// The outcome of one attempt: "ok", or the refusal's reason.
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (err: { reason?: string; code?: string }) => err.reason ?? err.code ?? "error",
  );

// A wrong 6-digit code other than the current, previous and next ones.
function wrongCode(secret: string, i: number): string {
  const t = Math.floor(Date.now() / 1000);
  const valid = new Set([-30, 0, 30, 60].map((d) => generateSync({ secret, epoch: t + d })));
  let code = String(100000 + i * 7919).slice(-6);
  while (valid.has(code)) code = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  return code;
}

async function failedChecks(userId: string) {
  return db.current.client.auditEvent.count({ where: { userId, action: "mfa.code_failed" } });
}

// Fires BURST wrong attempts at once and the right one last, in the same tick, and checks what every burst must give:
// the right one refused as locked, none accepted, at most MAX_CHECKS codes checked for `userId`. Returns the outcomes.
async function burst(userId: string, wrong: (i: number) => Promise<unknown>, right: () => Promise<unknown>) {
  const attempts = Array.from({ length: BURST }, (_, i) => outcome(wrong(i)));
  attempts.push(outcome(right()));
  const results = await Promise.all(attempts);
  expect(results.at(-1), JSON.stringify(results)).toBe("locked");
  expect(results.filter((r) => r === "ok")).toEqual([]);
  expect(await failedChecks(userId)).toBeLessThanOrEqual(MAX_CHECKS);
  return results;
}

describe("a burst of concurrent MFA codes", () => {
  it("sign-in: 40 wrong TOTP codes and the right one → at most 5 checked, the right one refused as locked", async () => {
    const { user, secret } = await enrolledUser("burst-signin@example.com");
    const results = await burst(
      user.id,
      (i) => verifyChallenge(user.id, { method: "totp", code: wrongCode(secret, i) }, "sign_in"),
      () => verifyChallenge(user.id, { method: "totp", code: generateSync({ secret }) }, "sign_in"),
    );
    expect(results.filter((r) => r !== "locked").length).toBeLessThanOrEqual(MAX_CHECKS);
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaLockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await expect(
      verifyChallenge(user.id, { method: "totp", code: generateSync({ secret }) }, "sign_in"),
    ).rejects.toMatchObject({ reason: "locked" });
  });

  it("step-up: the same burst is checked at most 5 times and the right code is refused", async () => {
    const { user, secret } = await enrolledUser("burst-stepup@example.com");
    await burst(
      user.id,
      (i) => verifyChallenge(user.id, { method: "totp", code: wrongCode(secret, i) }, "step_up"),
      () => verifyChallenge(user.id, { method: "totp", code: generateSync({ secret }) }, "step_up"),
    );
  });

  it("recovery codes: 40 wrong and a real one → at most 5 checked, the real one refused and still unused", async () => {
    const { user } = await enrolledUser("burst-recovery@example.com");
    // A real recovery code, known to the test, stored the way enrolment stores them.
    const known = "k3m9x-7qp2d";
    await db.current.client.recoveryCode.create({
      data: { userId: user.id, codeHash: hashRecoveryCode(user.id, known) },
    });
    await burst(
      user.id,
      (i) => verifyChallenge(user.id, { method: "recovery", code: `aaaaa-${String(i).padStart(5, "b")}` }, "sign_in"),
      () => verifyChallenge(user.id, { method: "recovery", code: known }, "sign_in"),
    );
    const row = await db.current.client.recoveryCode.findFirstOrThrow({
      where: { userId: user.id, codeHash: hashRecoveryCode(user.id, known) },
    });
    expect(row.usedAt).toBeNull();
  });

  it("disabling: 40 wrong passwords and the right one → at most 5 checked, MFA stays on", async () => {
    const { user, secret } = await enrolledUser("burst-disable@example.com");
    await burst(
      user.id,
      (i) => disableMfa(user.id, { password: `not the password ${i}`, method: "totp", code: generateSync({ secret }) }),
      () => disableMfa(user.id, { password, method: "totp", code: generateSync({ secret }) }),
    );
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaEnabledAt).not.toBeNull();
  });
});
