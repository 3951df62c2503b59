// Served beside Next.js, the API keeps the global Request/Response (NextResponse extends them) yet builds its own
// answers with @hono/node-server's lightweight class, which the listener writes without a WHATWG body stream.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiListener } from "@/lib/api/node-handler";
import { json } from "@/lib/api/responses";
import { createUser, makeKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();

const globals = { Request: globalThis.Request, Response: globalThis.Response };
let server: Server;
let base: string;
let secret: string;

beforeAll(async () => {
  const user = await createUser();
  ({ secret } = await makeKey(user.id, ["read"]));
  server = createServer(apiListener({ beside: "next" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the API listener beside Next.js", () => {
  it("leaves the global Request and Response as they were", () => {
    expect(globalThis.Request).toBe(globals.Request);
    expect(globalThis.Response).toBe(globals.Response);
    // A class extending the global (as NextResponse does) still builds WHATWG responses.
    class Extended extends Response {}
    expect(new Extended("x").headers).toBeInstanceOf(Headers);
  });

  it("builds answers with the lightweight class, still Responses to every reader", async () => {
    const answer = json({ ok: true }, 201, { "x-test": "1" });
    expect(answer).toBeInstanceOf(Response);
    expect(answer.constructor).not.toBe(globalThis.Response);
    expect(answer.status).toBe(201);
    expect(answer.headers.get("x-test")).toBe("1");
    expect(await answer.json()).toEqual({ ok: true });
  });

  it("answers over HTTP with the body, status and headers of the contract", async () => {
    const ping = await fetch(`${base}/api/v1/ping`);
    expect(ping.status).toBe(200);
    expect(ping.headers.get("content-type")).toBe("application/json");
    expect(ping.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await ping.json()).status).toBe("ok");
    const whoami = await fetch(`${base}/api/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
    expect(whoami.status).toBe(200);
    expect(whoami.headers.get("ratelimit-limit") ?? whoami.headers.get("x-ratelimit-limit")).toBeTruthy();
    const refused = await fetch(`${base}/api/v1/whoami`, { headers: { authorization: "Bearer nope" } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");
    expect((await refused.json()).error.code).toBeTruthy();
  });
});
