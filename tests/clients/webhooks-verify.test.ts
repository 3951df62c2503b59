// webhooks.verify(payload, headers, secret) of @keyhold/sdk on deliveries signed by Keyhold's own webhook sender
// (lib/webhooks/send.ts): the event for a good signature; invalid_signature for a changed body, another secret, a stale
// timestamp or missing headers. packages/python/tests/test_webhooks_verify.py checks the same in Python.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Keyhold, KeyholdError, verifyWebhook } from "@keyhold/sdk";
import { signatureHeaders } from "../../lib/webhooks/send";

const secret = `whsec_${randomBytes(24).toString("base64")}`;
const body = JSON.stringify({ type: "key.created", timestamp: new Date().toISOString(), data: { id: "key_1" } });
const signed = (at = new Date(), text = body, key = secret) =>
  signatureHeaders(key, { id: "msg_1", timestamp: at, body: text });

function refusal(run: () => unknown): KeyholdError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyholdError);
    return err as KeyholdError;
  }
  throw new Error("expected a KeyholdError");
}

describe("webhooks.verify", () => {
  it("answers the event of a delivery Keyhold signed (plain or Headers, string or bytes)", () => {
    const webhooks = new Keyhold({ env: {} }).webhooks;
    expect(webhooks.verify(body, signed(), secret)).toEqual(JSON.parse(body));
    const upper = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyWebhook(Buffer.from(body), upper, secret).type).toBe("key.created");
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(signed()), secret).data).toEqual({ id: "key_1" });
  });

  it("refuses a changed body, another secret, a stale timestamp and missing headers", () => {
    const other = `whsec_${randomBytes(24).toString("base64")}`;
    const cases = [
      () => verifyWebhook(body.replace("key_1", "key_2"), signed(), secret),
      () => verifyWebhook(body, signed(new Date(), body, other), secret),
      () => verifyWebhook(body, signed(new Date(Date.now() - 6 * 60_000)), secret),
      () => verifyWebhook(body, {}, secret),
    ];
    for (const run of cases) {
      const err = refusal(run);
      expect([err.code, err.status]).toEqual(["invalid_signature", 0]);
    }
  });
});
