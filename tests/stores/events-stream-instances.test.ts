// GET /api/v1/events/stream on two API processes (`npm run start:api`) sharing one PostgreSQL database: a stream on one
// instance carries the events recorded through the other; when its instance drains (SIGTERM) the stream ends cleanly,
// and the other instance resumes it with Last-Event-ID, missing nothing recorded in between. PostgreSQL only
// (npm run test:pg).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { withTestDb } from "../helpers/db";
import { startInstance, stopInstance, type Instance } from "../helpers/instances";
import { createUser, makeKey } from "../helpers/keys";
import { frames, type Frame } from "../helpers/sse";

const testDb = withTestDb();
const { KEYHOLD_TEST_DB } = env();

describe.skipIf(KEYHOLD_TEST_DB !== "postgres")("the event stream on two instances", () => {
  let instances: Instance[] = [];
  let admin = "";

  beforeAll(async () => {
    const user = await createUser("stream");
    admin = (await makeKey(user.id, ["admin"])).secret;
    instances = await Promise.all([startInstance(testDb.current.url), startInstance(testDb.current.url)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map(stopInstance));
  }, 60_000);

  async function stream(instance: Instance, lastEventId?: string) {
    const res = await fetch(`${instance.base}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${admin}`, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      signal: AbortSignal.timeout(60_000),
    });
    expect(res.status).toBe(200);
    const reader = frames(res.body!);
    expect((await reader.next(10_000))?.comment).toBe("connected");
    return reader;
  }

  function createKeyThrough(instance: Instance, name: string) {
    return fetch(`${instance.base}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name, environment: "test", scopes: ["read"] }),
      signal: AbortSignal.timeout(10_000),
    }).then(async (r) => ((await r.json()) as { key: { id: string } }).key.id);
  }

  const keyIdOf = (f: Frame) => (JSON.parse(f.data!) as { data: { key: { id: string } } }).data.key.id;

  it("carries events recorded through the other instance, and resumes there after its own drains", async () => {
    const [a, b] = instances;
    const onA = await stream(a);
    const first = await createKeyThrough(b, "through-b");
    const seen = (await onA.nextEvent(10_000))!;
    expect([seen.event, keyIdOf(seen)]).toEqual(["key.created", first]);

    // A drains: the stream ends with a note, well before the drain deadline.
    const stopped = stopInstance(a);
    let frame: Frame | null;
    do frame = await onA.next(8_000);
    while (frame && (frame.comment === "heartbeat" || frame.id));
    expect(frame?.comment).toMatch(/shutting down/);
    expect(await onA.next(5_000)).toBeNull();
    await stopped;

    // Recorded while nobody listened; B resumes right after the last event seen.
    const missed = await createKeyThrough(b, "while-away");
    const onB = await stream(b, seen.id);
    const resumed = (await onB.nextEvent(10_000))!;
    expect(keyIdOf(resumed)).toBe(missed);
    await onB.cancel();
  });
});
