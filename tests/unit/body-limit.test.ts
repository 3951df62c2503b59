import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitBodySize, MAX_BODY_BYTES } from "@/lib/server/body-limit";

let server: Server;
let port: number;
// Request paths that reached the inner handler (Next, in scripts/server.ts).
const reached: string[] = [];

beforeAll(async () => {
  server = createServer(
    limitBodySize((req, res) => {
      reached.push(req.url ?? "");
      let bytes = 0;
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => res.end(`read ${bytes}`));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

interface Sent {
  status?: number;
  body?: string;
  connection?: string;
  error?: string;
  // Time from sending until the socket closed (undefined: still open 3 s after the answer).
  closedAfterMs?: number;
}

// POSTs `bytes` bytes over a keep-alive connection (chunked when `chunked`); resolves with the answer and, with `awaitClose`, when the socket closed.
function post(path: string, bytes: number, { chunked = false, awaitClose = false } = {}): Promise<Sent> {
  const agent = new Agent({ keepAlive: true });
  const startedAt = Date.now();
  return new Promise<Sent>((resolve) => {
    const result: Sent = {};
    let closed: Promise<void> = Promise.resolve();
    const headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8", "next-action": "0123abcd" };
    if (!chunked) headers["content-length"] = String(bytes);
    const req = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", async () => {
        Object.assign(result, { status: res.statusCode, body, connection: res.headers.connection });
        if (awaitClose) await Promise.race([closed, new Promise((r) => setTimeout(r, 3_000))]);
        agent.destroy();
        resolve(result);
      });
    });
    req.on("socket", (socket) => {
      closed = new Promise((r) =>
        socket.once("close", () => {
          result.closedAfterMs = Date.now() - startedAt;
          r();
        }),
      );
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      result.error = err.code ?? err.message;
      agent.destroy();
      resolve(result);
    });
    if (chunked) {
      for (let sent = 0; sent < bytes; sent += 64 * 1024) req.write(Buffer.alloc(Math.min(64 * 1024, bytes - sent)));
      req.end();
    } else req.end(Buffer.alloc(bytes));
  });
}

describe("limitBodySize", () => {
  it("answers a 2 MB server-action POST with 413 and closes the connection at once, without reaching Next", async () => {
    const sent = await post("/dashboard/keys", 2 * 1024 * 1024, { awaitClose: true });
    expect(sent).toMatchObject({ status: 413, connection: "close" });
    expect(sent.error).toBeUndefined();
    expect(sent.closedAfterMs).toBeLessThan(2_000);
    expect(reached).not.toContain("/dashboard/keys");
  });

  it("refuses a chunked body once it passes the limit with 413 and closes the connection", async () => {
    const sent = await post("/dashboard/settings", 2 * 1024 * 1024, { chunked: true, awaitClose: true });
    expect(sent).toMatchObject({ status: 413, connection: "close" });
    expect(sent.closedAfterMs).toBeLessThan(2_000);
  });

  it("passes a chunked body under the limit through to the inner handler", async () => {
    expect(await post("/dashboard/settings", 5_000, { chunked: true })).toMatchObject({
      status: 200,
      body: "read 5000",
    });
  });

  // next-auth's routes are Next's, not the API app's: a 400 MB chunked body was read whole.
  it("caps /api/auth/* like every other path the API app does not own", async () => {
    const declared = await post("/api/auth/callback/credentials", 2 * 1024 * 1024, { awaitClose: true });
    expect(declared).toMatchObject({ status: 413, connection: "close" });
    expect(reached).not.toContain("/api/auth/callback/credentials");
    const chunked = await post("/api/auth/signin", 2 * 1024 * 1024, { chunked: true, awaitClose: true });
    expect(chunked).toMatchObject({ status: 413, connection: "close" });
    expect(await post("/api/auth/csrf", 1_000, { chunked: true })).toMatchObject({ status: 200, body: "read 1000" });
  });

  it("passes a small POST and one of exactly the limit through to the inner handler", async () => {
    expect(await post("/dashboard/usage", 1_000)).toMatchObject({ status: 200, body: "read 1000" });
    expect(await post("/dashboard/audit", MAX_BODY_BYTES)).toMatchObject({
      status: 200,
      body: `read ${MAX_BODY_BYTES}`,
    });
  });

  it("leaves the API app's paths (/api/v1/**) to their own limits", async () => {
    expect(await post("/api/v1/keys", 2 * 1024 * 1024)).toMatchObject({ status: 200, body: `read ${2 * 1024 * 1024}` });
    expect(await post("/api/v1/keys", 5_000, { chunked: true })).toMatchObject({ status: 200, body: "read 5000" });
  });
});
