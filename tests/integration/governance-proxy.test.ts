// Behind a trusted reverse proxy (TRUST_PROXY=127.0.0.1): the client address comes from X-Forwarded-For, walked back
// from the proxy, so an allowlisted key refuses a client outside its ranges and a client cannot prepend its way in.
// Without TRUST_PROXY the same header is ignored (tests/integration/governance.test.ts).
process.env.TRUST_PROXY = "127.0.0.1";

import { describe, expect, it } from "vitest";
import { api, apiRequest, createUser, fromPeer, makeKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();

function whoamiVia(secret: string, peer: string, forwardedFor: string) {
  return api(apiRequest("/api/v1/whoami", { key: secret, headers: fromPeer(peer, forwardedFor) }));
}

describe("IP allowlist through a trusted proxy", () => {
  it("allows a forwarded client inside the list and refuses one outside with 403 ip_not_allowed", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], {
      ipAllowlist: [{ value: "10.0.0.0/24" }, { value: "2001:db8::/32" }],
    });
    expect((await whoamiVia(secret, "127.0.0.1", "10.0.0.5")).status).toBe(200);
    expect((await whoamiVia(secret, "::ffff:127.0.0.1", "2001:db8::7")).status).toBe(200);
    const refused = await whoamiVia(secret, "127.0.0.1", "203.0.113.5");
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("ip_not_allowed");
  });

  it("cannot be fooled by a client that prepends an allowed address, or by a peer that is not the proxy", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { ipAllowlist: [{ value: "10.0.0.0/24" }] });
    // The proxy appends the real client (203.0.113.5) after what the client sent.
    expect((await whoamiVia(secret, "127.0.0.1", "10.0.0.5, 203.0.113.5")).status).toBe(403);
    // A direct client's own header is not believed: only 127.0.0.1 is a trusted proxy.
    expect((await whoamiVia(secret, "198.51.100.20", "10.0.0.5")).status).toBe(403);
  });
});
