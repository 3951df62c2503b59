import { randomBytes } from "node:crypto";
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { encryptSecret } from "@/lib/secret-box";
import {
  cancelEnrolment,
  confirmEnrolment,
  disableMfa,
  getMfaStatus,
  getPendingEnrolment,
  MFA_LOCK_MS,
  regenerateRecoveryCodes,
  startEnrolment,
  verifyChallenge,
} from "@/lib/mfa/service";
import { ApiError } from "@/lib/errors";
import { requireStepUp, STEP_UP_WINDOW_MS } from "@/lib/mfa/step-up";
import { TOTP_CODE_MESSAGE } from "@/lib/validations/mfa";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";
const STEP_MS = 30_000;

// A simulated clock: each successful TOTP check moves to the next 30 s step, so codes are never replays.
function makeClock() {
  let t = Date.now();
  return {
    now: () => new Date(t),
    tick: (ms = STEP_MS) => (t += ms),
    code: (secret: string) => generateSync({ secret, epoch: Math.floor(t / 1000) }),
  };
}

async function enrolledUser(email: string) {
  const clock = makeClock();
  const user = await createAccount({ email, password, confirmPassword: password }, null);
  const { secret } = await startEnrolment(user.id);
  const recoveryCodes = await confirmEnrolment(user.id, clock.code(secret), { now: clock.now() });
  clock.tick();
  return { user, secret, recoveryCodes, clock };
}

async function audit(userId: string) {
  return (await db.current.client.auditEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map(
    (a) => a.action,
  );
}

const rejects = (p: Promise<unknown>, reason: string) => expect(p).rejects.toMatchObject({ reason });

describe("MFA enrolment", () => {
  it("stores the pending secret encrypted, confirms with a first code, and returns 10 recovery codes stored hashed", async () => {
    const clock = makeClock();
    const user = await createAccount({ email: "enrol@example.com", password, confirmPassword: password }, null);
    const { secret, uri } = await startEnrolment(user.id);
    expect(uri).toContain("issuer=Keyhold");
    expect(uri).toContain(encodeURIComponent("enrol@example.com"));
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaSecretEnc).toMatch(/^v1:/);
    expect(stored.mfaSecretEnc).not.toContain(secret);
    expect(stored.mfaEnabledAt).toBeNull();
    expect(await getPendingEnrolment(user.id)).toEqual({ secret, uri });
    expect(await getMfaStatus(user.id)).toMatchObject({ enabledAt: null, pending: true });

    await rejects(confirmEnrolment(user.id, "12345", { now: clock.now() }), "invalid_input");
    await rejects(confirmEnrolment(user.id, "000000", { now: clock.now() }), "invalid_code");
    expect((await getMfaStatus(user.id)).enabledAt).toBeNull();

    const codes = await confirmEnrolment(user.id, clock.code(secret), { now: clock.now(), ip: "10.1.2.3" });
    expect(codes).toHaveLength(10);
    const rows = await db.current.client.recoveryCode.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(codes).not.toContain(row.codeHash);
    expect(await getMfaStatus(user.id)).toMatchObject({
      pending: false,
      recoveryCodesRemaining: 10,
      lockedUntil: null,
    });
    expect(await getPendingEnrolment(user.id)).toBeNull();
    await rejects(startEnrolment(user.id), "already_enabled");
    const enabled = await db.current.client.auditEvent.findFirstOrThrow({
      where: { userId: user.id, action: "mfa.enabled" },
    });
    expect(enabled.ip).toBe("10.1.2.3");
  });

  it("the confirming code cannot be spent again", async () => {
    const clock = makeClock();
    const user = await createAccount({ email: "enrol-replay@example.com", password, confirmPassword: password }, null);
    const { secret } = await startEnrolment(user.id);
    const code = clock.code(secret);
    await confirmEnrolment(user.id, code, { now: clock.now() });
    await rejects(verifyChallenge(user.id, { method: "totp", code }, "sign_in", { now: clock.now() }), "reused_code");
  });

  it("cancelling a pending enrolment forgets the secret", async () => {
    const user = await createAccount({ email: "cancel@example.com", password, confirmPassword: password }, null);
    await startEnrolment(user.id);
    await cancelEnrolment(user.id);
    expect(await getMfaStatus(user.id)).toMatchObject({ enabledAt: null, pending: false });
    await rejects(confirmEnrolment(user.id, "123456"), "no_pending_enrolment");
  });
});

describe("MFA challenges", () => {
  it("accepts a code once: the same code is refused as a replay for sign-in and step-up", async () => {
    const { user, secret, clock } = await enrolledUser("replay@example.com");
    const code = clock.code(secret);
    await expect(verifyChallenge(user.id, { method: "totp", code }, "sign_in", { now: clock.now() })).resolves.toEqual({
      method: "totp",
    });
    await rejects(verifyChallenge(user.id, { method: "totp", code }, "step_up", { now: clock.now() }), "reused_code");
    clock.tick();
    await expect(
      verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "step_up", { now: clock.now() }),
    ).resolves.toEqual({
      method: "totp",
    });
  });

  it("refuses an expired code with its own message", async () => {
    const { user, secret, clock } = await enrolledUser("expired@example.com");
    const old = generateSync({ secret, epoch: Math.floor((clock.now().getTime() - 3 * STEP_MS) / 1000) });
    await expect(
      verifyChallenge(user.id, { method: "totp", code: old }, "sign_in", { now: clock.now() }),
    ).rejects.toThrow(/expired/);
  });

  it("a recovery code signs in once, is audited with the count left, and is refused for step-up", async () => {
    const { user, recoveryCodes, clock } = await enrolledUser("recovery@example.com");
    const [first, second] = recoveryCodes;
    await rejects(
      verifyChallenge(user.id, { method: "recovery", code: second }, "step_up", { now: clock.now() }),
      "invalid_input",
    );
    await expect(
      verifyChallenge(user.id, { method: "recovery", code: first.toUpperCase() }, "sign_in", { now: clock.now() }),
    ).resolves.toEqual({
      method: "recovery",
    });
    await rejects(
      verifyChallenge(user.id, { method: "recovery", code: first }, "sign_in", { now: clock.now() }),
      "invalid_code",
    );
    expect((await getMfaStatus(user.id)).recoveryCodesRemaining).toBe(9);
    const used = await db.current.client.auditEvent.findFirstOrThrow({
      where: { userId: user.id, action: "mfa.recovery_used" },
    });
    expect(used.metadata).toMatchObject({ purpose: "sign_in", remaining: 9 });
  });

  it("a recovery code of another account is refused", async () => {
    const a = await enrolledUser("owner-a@example.com");
    const b = await enrolledUser("owner-b@example.com");
    await rejects(
      verifyChallenge(b.user.id, { method: "recovery", code: a.recoveryCodes[0] }, "sign_in", { now: b.clock.now() }),
      "invalid_code",
    );
  });

  it("malformed input gets a clear message and does not count towards the lockout", async () => {
    const { user, clock } = await enrolledUser("malformed@example.com");
    for (const code of ["abcdef", "12345", "1234567"]) {
      await expect(verifyChallenge(user.id, { method: "totp", code }, "sign_in", { now: clock.now() })).rejects.toThrow(
        TOTP_CODE_MESSAGE,
      );
    }
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaFailedCount).toBe(0);
    expect(await audit(user.id)).not.toContain("mfa.code_failed");
  });

  it("5 wrong codes across sign-in and step-up lock the factor for 15 minutes; a locked factor refuses everything; it unlocks after", async () => {
    const { user, secret, recoveryCodes, clock } = await enrolledUser("lockout@example.com");
    await expect(
      verifyChallenge(user.id, { method: "totp", code: "000000" }, "sign_in", { now: clock.now() }),
    ).rejects.toThrow(/That code is incorrect\. 4 attempts left/);
    await rejects(
      verifyChallenge(user.id, { method: "recovery", code: "aaaaa-bbbbb" }, "sign_in", { now: clock.now() }),
      "invalid_code",
    );
    await rejects(
      verifyChallenge(user.id, { method: "totp", code: "000000" }, "step_up", { now: clock.now() }),
      "invalid_code",
    );
    await rejects(
      verifyChallenge(user.id, { method: "totp", code: "000000" }, "step_up", { now: clock.now() }),
      "invalid_code",
    );
    const fifth = verifyChallenge(user.id, { method: "totp", code: "000000" }, "sign_in", {
      now: clock.now(),
      ip: "10.9.9.9",
    });
    await expect(fifth).rejects.toThrow(
      /Too many incorrect codes\. Two-factor authentication is locked until \d\d:\d\d UTC \(in 15 minutes\)/,
    );
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaLockedUntil?.getTime()).toBe(clock.now().getTime() + MFA_LOCK_MS);

    // Locked: the right code, a recovery code, malformed input — all refused, none counted.
    await rejects(
      verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "sign_in", { now: clock.now() }),
      "locked",
    );
    await rejects(
      verifyChallenge(user.id, { method: "recovery", code: recoveryCodes[0] }, "sign_in", { now: clock.now() }),
      "locked",
    );
    await rejects(verifyChallenge(user.id, { method: "totp", code: "abc" }, "step_up", { now: clock.now() }), "locked");
    await rejects(
      regenerateRecoveryCodes(user.id, { method: "totp", code: clock.code(secret) }, { now: clock.now() }),
      "locked",
    );
    const events = await audit(user.id);
    expect(events.filter((a) => a === "mfa.code_failed")).toHaveLength(5);
    expect(events.filter((a) => a === "mfa.locked")).toHaveLength(1);
    const locked = await db.current.client.auditEvent.findFirstOrThrow({
      where: { userId: user.id, action: "mfa.locked" },
    });
    expect(locked.ip).toBe("10.9.9.9");

    // Still locked one second before the end; open after it, with a fresh set of 5 attempts.
    clock.tick(MFA_LOCK_MS - 1000);
    await rejects(
      verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "sign_in", { now: clock.now() }),
      "locked",
    );
    clock.tick(2000);
    await expect(
      verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "sign_in", { now: clock.now() }),
    ).resolves.toEqual({
      method: "totp",
    });
    expect((await getMfaStatus(user.id, clock.now())).lockedUntil).toBeNull();
    await expect(
      verifyChallenge(user.id, { method: "totp", code: "000000" }, "sign_in", { now: clock.now() }),
    ).rejects.toThrow(/4 attempts left/);
  });

  it("a success resets the failure counter", async () => {
    const { user, secret, clock } = await enrolledUser("reset@example.com");
    for (let i = 0; i < 4; i++)
      await rejects(
        verifyChallenge(user.id, { method: "totp", code: "000000" }, "sign_in", { now: clock.now() }),
        "invalid_code",
      );
    await verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "step_up", { now: clock.now() });
    await expect(
      verifyChallenge(user.id, { method: "totp", code: "000000" }, "sign_in", { now: clock.now() }),
    ).rejects.toThrow(/4 attempts left/);
  });

  it("a secret encrypted under another key gets a clear error, and recovery codes still work", async () => {
    const { user, secret, recoveryCodes, clock } = await enrolledUser("rekeyed@example.com");
    await db.current.client.user.update({
      where: { id: user.id },
      data: { mfaSecretEnc: encryptSecret(secret, randomBytes(32)) },
    });
    await rejects(
      verifyChallenge(user.id, { method: "totp", code: clock.code(secret) }, "sign_in", { now: clock.now() }),
      "secret_unreadable",
    );
    await expect(
      verifyChallenge(user.id, { method: "recovery", code: recoveryCodes[0] }, "sign_in", { now: clock.now() }),
    ).resolves.toEqual({
      method: "recovery",
    });
    await disableMfa(user.id, { password, method: "recovery", code: recoveryCodes[1] }, { now: clock.now() });
    expect((await getMfaStatus(user.id)).enabledAt).toBeNull();
  });

  it("refuses challenges for an account without MFA", async () => {
    const user = await createAccount({ email: "nomfa@example.com", password, confirmPassword: password }, null);
    await rejects(verifyChallenge(user.id, { method: "totp", code: "123456" }, "sign_in"), "not_enrolled");
  });
});

describe("recovery code regeneration", () => {
  it("needs a current authenticator code, replaces every code, and is audited", async () => {
    const { user, secret, recoveryCodes, clock } = await enrolledUser("regen@example.com");
    await rejects(
      regenerateRecoveryCodes(user.id, { method: "totp", code: "000000" }, { now: clock.now() }),
      "invalid_code",
    );
    await rejects(
      regenerateRecoveryCodes(user.id, { method: "recovery", code: recoveryCodes[0] }, { now: clock.now() }),
      "invalid_input",
    );
    const fresh = await regenerateRecoveryCodes(
      user.id,
      { method: "totp", code: clock.code(secret) },
      { now: clock.now() },
    );
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    await rejects(
      verifyChallenge(user.id, { method: "recovery", code: recoveryCodes[1] }, "sign_in", { now: clock.now() }),
      "invalid_code",
    );
    await expect(
      verifyChallenge(user.id, { method: "recovery", code: fresh[0] }, "sign_in", { now: clock.now() }),
    ).resolves.toEqual({
      method: "recovery",
    });
    expect(await audit(user.id)).toContain("mfa.recovery_regenerated");
  });
});

describe("disabling MFA", () => {
  it("needs the password and a code; a wrong password counts as a failed attempt and changes nothing", async () => {
    const { user, secret, clock } = await enrolledUser("disable@example.com");
    await rejects(
      disableMfa(user.id, { password: "", method: "totp", code: clock.code(secret) }, { now: clock.now() }),
      "invalid_input",
    );
    await rejects(
      disableMfa(user.id, { password, method: "totp", code: "12a456" }, { now: clock.now() }),
      "invalid_input",
    );
    const wrong = disableMfa(
      user.id,
      { password: "not the password", method: "totp", code: clock.code(secret) },
      { now: clock.now() },
    );
    await expect(wrong).rejects.toMatchObject({ reason: "wrong_password", field: "password" });
    await rejects(
      disableMfa(user.id, { password, method: "totp", code: "000000" }, { now: clock.now() }),
      "invalid_code",
    );
    expect((await getMfaStatus(user.id)).enabledAt).not.toBeNull();
    const stored = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.mfaFailedCount).toBe(2);

    await disableMfa(
      user.id,
      { password, method: "totp", code: clock.code(secret) },
      { now: clock.now(), ip: "10.0.0.5" },
    );
    const after = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({
      mfaSecretEnc: null,
      mfaEnabledAt: null,
      mfaLastStep: null,
      mfaFailedCount: 0,
      mfaLockedUntil: null,
    });
    expect(await db.current.client.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await audit(user.id)).toContain("mfa.disabled");
  });

  it("works with a recovery code instead of the app", async () => {
    const { user, recoveryCodes, clock } = await enrolledUser("disable-recovery@example.com");
    await disableMfa(user.id, { password, method: "recovery", code: recoveryCodes[3] }, { now: clock.now() });
    expect((await getMfaStatus(user.id)).enabledAt).toBeNull();
  });
});

describe("requireStepUp", () => {
  it("refuses an enrolled account without a fresh step-up and passes with one", async () => {
    const { user } = await enrolledUser("stepup@example.com");
    const fresh = await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } });
    const now = Date.now();
    expect(() => requireStepUp({ user: fresh, token: {} }, {}, now)).toThrow(ApiError);
    expect(() => requireStepUp({ user: fresh, token: { stepUpAt: now - STEP_UP_WINDOW_MS - 1 } }, {}, now)).toThrow(
      expect.objectContaining({ code: "step_up_required" }),
    );
    expect(() =>
      requireStepUp({ user: fresh, token: { stepUpAt: now - 60_000 } }, { requireEnrolled: true }, now),
    ).not.toThrow();
  });

  it("lets an account without MFA through unless enrolment is required", async () => {
    const user = await createAccount({ email: "stepup-none@example.com", password, confirmPassword: password }, null);
    expect(() => requireStepUp({ user, token: {} })).not.toThrow();
    expect(() => requireStepUp({ user, token: {} }, { requireEnrolled: true })).toThrow(
      expect.objectContaining({ code: "mfa_required" }),
    );
  });
});
