// Event data for tests that only need some valid event queued (delivery load, outbox, workers): a key.created payload.
import type { EventPayload } from "@/lib/events/payloads";

// A key.created payload for a made-up key numbered `n` (no such key exists).
export function keyEventData(n: number): EventPayload<"key.created"> {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  return {
    key: {
      id: `key_test_${n}`,
      name: `key ${n}`,
      prefix: "kh_test_abcd",
      environment: "test",
      scopes: ["read"],
      permissions: [],
      expiresAt: null,
      ipAllowlist: [],
      rateLimit: null,
      createdAt: at,
      lastUsedAt: null,
      revokedAt: null,
      createdBy: null,
      credits: null,
    },
  };
}
