// GET /api/v1/events/stream: the organization's events as Server-Sent Events (admin scope), for `keyhold listen`.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { keyStillActive, openFeed, type EventFeed } from "../../events/feed";
import { onDraining } from "../../shutdown";
import { defineRoute } from "../define-route";
import { apiHeaders } from "../responses";
import type { ApiEnv } from "../require-key";
import { clientIdHeader, keyAuthenticated } from "../route-declarations";

export const eventsRoutes = new OpenAPIHono<ApiEnv>();

// How often the outbox is read, and how often an idle stream sends a comment so proxies and clients keep it open.
const timing = { pollMs: 1_000, heartbeatMs: 15_000 };
// For tests: shorter intervals.
export function setEventStreamTiming(t: Partial<typeof timing>): void {
  Object.assign(timing, t);
}

const encoder = new TextEncoder();

// One event in the text/event-stream format: its id (for Last-Event-ID), its type as the SSE event name, the payload.
function frame(e: { id: string; type: string; timestamp: string; data: unknown }): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ type: e.type, timestamp: e.timestamp, data: e.data })}\n\n`;
}

// The stream: polls `feed` until the client leaves, the key stops working or the server drains (then it ends cleanly,
// and the client reconnects elsewhere with Last-Event-ID).
function eventStream(feed: EventFeed, keyId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unsubscribe = () => {};
      let lastWrite = Date.now();
      const write = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      const close = (note?: string) => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
        try {
          if (note) write(`: ${note}\n\n`);
          controller.close();
        } catch {
          // The client already left.
        }
      };
      const onAbort = () => close();
      stop = onAbort;
      signal.addEventListener("abort", onAbort);
      if (signal.aborted) onAbort();
      const tick = async () => {
        if (closed) return;
        try {
          if (!(await keyStillActive(keyId))) return close("the API key was revoked or expired");
          for (const e of await feed.next()) if (!closed) write(frame(e));
          if (!closed && Date.now() - lastWrite >= timing.heartbeatMs) write(": heartbeat\n\n");
        } catch (err) {
          // A database hiccup ends the stream; the client resumes from its last event.
          console.error("event stream:", err instanceof Error ? err.message : err);
          return close("error reading events: reconnect with Last-Event-ID");
        }
        if (!closed) timer = setTimeout(() => void tick(), timing.pollMs);
      };
      write(`retry: 2000\n: connected\n\n`);
      // Called at once when the drain has begun already (a request that arrived just before it).
      unsubscribe = onDraining(() => close("server shutting down: reconnect with Last-Event-ID"));
      if (!closed) timer = setTimeout(() => void tick(), 0);
    },
    cancel() {
      stop();
    },
  });
}

// GET /api/v1/events/stream — the organization's events as they happen, resumable with Last-Event-ID (admin).
const auth = keyAuthenticated(
  "admin",
  {
    200: {
      description: "An event stream",
      content: { "text/event-stream": { schema: z.string().meta({ description: "Server-Sent Events" }) } },
    },
  },
  "webhooks.manage",
);

defineRoute(
  eventsRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/events/stream",
    summary: "The organization's events as Server-Sent Events, as they happen",
    request: {
      headers: clientIdHeader.extend({
        "Last-Event-ID": z.string().optional().meta({ description: "Resume right after this event" }),
      }),
    },
    ...auth,
    description:
      "Each event is sent as `id: <event id>`, `event: <type>`, `data: {type, timestamp, data}` (the webhook payload). " +
      "Without Last-Event-ID the stream starts now; with it, right after that event. A comment line is sent as a " +
      "heartbeat every 15 s. The stream ends when the server shuts down or the key is revoked: reconnect with " +
      "Last-Event-ID. " +
      auth.description,
  }),
  async (c) => {
    const key = c.get("key");
    const feed = await openFeed(key.organizationId, c.req.header("last-event-id")?.trim() || null);
    return new Response(eventStream(feed, key.id, c.req.raw.signal), {
      status: 200,
      headers: apiHeaders({
        ...c.get("rateLimitHeaders"),
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
      }),
    });
  },
);
