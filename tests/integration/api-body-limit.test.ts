// Request bodies on the API are capped: a body over the cap gets 413 payload_too_large as soon as that is known (from
// Content-Length before any byte, else while counting a chunked body), never read into memory whole.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiListener } from "@/lib/api/node-handler";
import { MAX_API_BODY_BYTES } from "@/lib/api/request";
import { createUser, makeKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();

let server: Server;
let port: number;
let secret: string;

beforeAll(async () => {
  const user = await createUser();
  ({ secret } = await makeKey(user.id, ["read", "write", "admin"]));
  server = createServer(apiListener({ beside: "next" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

type Answer = { status: number; connection?: string; body: { error?: { code: string; message: string } } };

// POSTs to `path`: `declared` as Content-Length (chunked when undefined), then `send` bytes of a JSON string body, and
// resolves with the answer, whether or not the server read everything that was promised.
function post(path: string, send: number, declared?: number, key = secret): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${key}` };
    if (declared !== undefined) headers["content-length"] = String(declared);
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          body: JSON.parse(text) as Answer["body"],
        }),
      );
    });
    // The server may answer and close before the whole body is sent.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "ECONNRESET" && err.code !== "EPIPE") reject(err);
    });
    const prefix = '{"name":"';
    const filler = Math.max(0, send - prefix.length - 2);
    req.write(prefix);
    for (let left = filler; left > 0; left -= 64 * 1024) req.write("a".repeat(Math.min(64 * 1024, left)));
    if (declared === undefined || declared === send) req.end('"}');
    else req.write('"}'); // the rest never comes: only an early answer ends this request
  });
}

describe("API request bodies", () => {
  it("refuses a declared length over the cap at once, without waiting for the body", async () => {
    const answer = await post("/api/v1/keys", 64 * 1024, 50 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("payload_too_large");
    expect(answer.body.error?.message).toContain(String(MAX_API_BODY_BYTES));
  });

  // The rest of a refused body is never read, so the connection closes: a client reusing it for its next request
  // (the next test, on the same keep-alive agent) once waited forever for an answer.
  it("refuses a chunked body once it passes the cap, and closes the connection", async () => {
    const answer = await post("/api/v1/keys", MAX_API_BODY_BYTES + 256 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("payload_too_large");
    expect(answer.connection).toBe("close");
  });

  it("reads a body under the cap as usual (here a name far too long: 400 naming the field)", async () => {
    const size = MAX_API_BODY_BYTES - 1024;
    const answer = await post("/api/v1/keys", size, size);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("invalid_request");
    expect(answer.body.error?.message).toMatch(/^name: /);
  });

  it("asks for a credential before anything else, whatever the body", async () => {
    const answer = await post("/api/v1/keys", 64 * 1024, 50 * 1024 * 1024, "kh_test_nope");
    expect(answer.status).toBe(401);
  });
});
