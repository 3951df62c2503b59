// "Forgot password" costs the request the same work for an existing account and an unknown address: the request only
// counts the throttles and queues; the lookup, the link and the mail happen after the answer. Measured structurally
// (which database models the request touches before it answers), not by the clock.
import { afterAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { passwordResetsIdle, requestPasswordReset } from "@/lib/auth/password-reset";
import { setDb } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";

// Runs `work` with lib/db recording each database model or client method it reaches, in order.
async function databaseTouches(work: () => Promise<unknown>): Promise<string[]> {
  const real = db.current.client;
  const touched: string[] = [];
  const recording = new Proxy(real, {
    get(target, prop) {
      if (typeof prop === "string" && !prop.startsWith("_")) touched.push(prop);
      return Reflect.get(target, prop);
    },
  }) as PrismaClient;
  setDb(recording, { embedded: db.current.kind === "pglite" });
  try {
    await work();
    // Copied before the queued work (which starts on a later turn of the event loop) can add to it.
    return [...touched];
  } finally {
    setDb(real, { embedded: db.current.kind === "pglite" });
  }
}

describe("forgot password", () => {
  it("does the same work on the request path for an existing account and an unknown address", async () => {
    const user = await createAccount({ email: "exists@example.com", password, confirmPassword: password }, null);
    await passwordResetsIdle();

    const known = await databaseTouches(() => requestPasswordReset("exists@example.com", "192.0.2.7"));
    await passwordResetsIdle();
    const unknown = await databaseTouches(() => requestPasswordReset("nobody@example.com", "192.0.2.8"));
    await passwordResetsIdle();

    expect(known).toEqual(unknown);
    // The account's side still happened, after the answer: a link for the existing account only.
    expect(await db.current.client.passwordResetToken.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.current.client.passwordResetToken.count()).toBe(1);
    expect(
      await db.current.client.auditEvent.count({ where: { userId: user.id, action: "auth.password_reset_requested" } }),
    ).toBe(1);
  });
});

afterAll(() => setDb(db.current.client));
