// During the shutdown drain /api/health answers 503 draining (a load balancer stops sending) while /api/v1/ping, the
// liveness probe, still answers 200.
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiListener } from "@/lib/api/node-handler";
import { createDrain } from "@/lib/server/graceful-shutdown";
import { withTestDb } from "../helpers/db";

withTestDb();

let server: Server;
let port: number;
let drain: ReturnType<typeof createDrain>;
// Two warm keep-alive sockets: once the drain began, each answer closes its connection and no new one is accepted.
const agents = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];

beforeAll(async () => {
  server = createServer(apiListener({ beside: "next" }));
  drain = createDrain(server, { idleGraceMs: 5_000 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  for (const agent of agents) agent.destroy();
  server.closeAllConnections();
});

// GET `path` through `agent`: status, Connection header and JSON body.
function get(agent: Agent, path: string): Promise<{ status?: number; connection?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode, connection: res.headers.connection, body: JSON.parse(text) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("health during the drain", () => {
  it("answers 200 ok, then 503 draining once the drain began; ping stays 200", async () => {
    const [healthAgent, pingAgent] = agents;
    expect(await get(healthAgent, "/api/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await get(pingAgent, "/api/v1/ping")).toMatchObject({ status: 200 });
    const drained = drain(10_000);
    expect(await get(healthAgent, "/api/health")).toEqual({
      status: 503,
      connection: "close",
      body: { status: "draining" },
    });
    expect(await get(pingAgent, "/api/v1/ping")).toMatchObject({
      status: 200,
      connection: "close",
      body: { status: "ok" },
    });
    expect(await drained).toEqual({ cut: 0 });
  });
});
