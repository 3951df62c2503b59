// The advisory lock ids are distinct and never change (instances of two versions take the same lock for the same thing).
import { describe, expect, it } from "vitest";
import { ADVISORY_LOCKS, advisoryLock } from "@/lib/advisory-locks";

describe("ADVISORY_LOCKS", () => {
  it("keeps every id as it was first shipped", () => {
    expect(ADVISORY_LOCKS).toEqual({
      signUp: 727274,
      signInAttempt: 7272,
      organizationMembers: 7373,
      invitationMails: 7374,
      notificationMails: 7375,
      webhookClaims: 7474,
      webhookEndpoints: 7575,
    });
    expect(new Set(Object.values(ADVISORY_LOCKS)).size).toBe(Object.keys(ADVISORY_LOCKS).length);
  });

  it("takes the one-bigint form alone and the two-int form per key", async () => {
    const calls: [string, unknown[]][] = [];
    const tx = {
      $executeRaw: async (sql: TemplateStringsArray, ...values: unknown[]) => {
        calls.push([sql.join("?"), values]);
        return 1;
      },
    };
    await advisoryLock(tx as never, "signUp");
    await advisoryLock(tx as never, "webhookEndpoints", "org_1");
    expect(calls).toEqual([
      ["SELECT pg_advisory_xact_lock(?::bigint)", [727274]],
      ["SELECT pg_advisory_xact_lock(?::integer, hashtext(?))", [7575, "org_1"]],
    ]);
  });
});
