import { Agent, createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDrain } from "@/lib/server/graceful-shutdown";

let server: Server | undefined;
let agent: Agent | undefined;

afterEach(() => {
  agent?.destroy();
  server?.closeAllConnections();
  server?.close();
});

// Starts a server whose handler hands each response to `onRequest`; returns its port and its drain.
async function start(onRequest: (res: ServerResponse) => void, idleGraceMs = 200) {
  server = createServer((_req, res) => onRequest(res));
  const drain = createDrain(server, { idleGraceMs });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  agent = new Agent({ keepAlive: true });
  return { port: (server.address() as AddressInfo).port, drain };
}

// Sends a GET and resolves with its status and body, or the error that ended it.
function get(port: number): Promise<{ status?: number; body?: string; connection?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, agent }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
      res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

describe("createDrain", () => {
  it("destroys a request that outlives the deadline and resolves at the deadline", async () => {
    const { port, drain } = await start(() => {});
    const pending = get(port);
    await new Promise((r) => setTimeout(r, 50));
    const startedAt = Date.now();
    expect(await drain(300)).toEqual({ cut: 1 });
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect((await pending).error).toBe("ECONNRESET");
  });

  it("closes a keep-alive socket whose answer had already started, once it stays idle for the grace period", async () => {
    let streaming: ServerResponse | undefined;
    const { port, drain } = await start((res) => {
      res.write("first ");
      streaming = res;
    });
    const answer = get(port);
    await new Promise((r) => setTimeout(r, 50));
    const startedAt = Date.now();
    const drained = drain(5_000);
    setTimeout(() => streaming!.end("last"), 100);
    expect(await drained).toEqual({ cut: 0 });
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await answer).toMatchObject({ status: 200, body: "first last" });
  });

  // http.Server.close() closes idle keep-alive sockets at once: a request already sent on one (still in the kernel's
  // buffer, or on its way) was cut with ECONNRESET.
  it("answers a request sent on an idle keep-alive socket after the drain began, with Connection: close", async () => {
    const { port, drain } = await start((res) => res.end("ok"), 5_000);
    expect(await get(port)).toMatchObject({ status: 200, connection: "keep-alive" });
    const drained = drain(10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(await get(port)).toEqual({ status: 200, body: "ok", connection: "close" });
    expect(await drained).toEqual({ cut: 0 });
  });

  it("closes a keep-alive socket that stays idle for the grace period, well before the deadline", async () => {
    const { port, drain } = await start((res) => res.end("ok"), 200);
    expect(await get(port)).toMatchObject({ status: 200 });
    const startedAt = Date.now();
    expect(await drain(20_000)).toEqual({ cut: 0 });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
