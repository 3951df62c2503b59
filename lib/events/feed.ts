// An organization's events as they happen, read by polling the outbox (the Event table) with a cursor: every instance
// sees every event, whichever instance recorded it. Feeds GET /api/v1/events/stream.
import { db } from "../db";

// One event as the stream sends it: its id (the SSE `id:` line, and the webhook-id of its deliveries) and the webhook
// payload `{type, timestamp, data}`.
export type FeedEvent = { id: string; type: string; timestamp: string; data: unknown };

// An event's createdAt is set before its transaction commits: one committed late can appear behind events already
// sent. Each poll looks back this far behind the newest event sent (skipping those already sent), so it still goes out.
export const FEED_LOOKBACK_MS = 5_000;
// At most this many events per poll: a burst goes out over several polls.
const BATCH = 500;

type Position = { createdAt: Date; id: string };

const after = (a: Position, b: Position) =>
  a.createdAt.getTime() > b.createdAt.getTime() || (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id);

// A cursor over one organization's events. Without `lastEventId` it starts now (the events of the last seconds count
// as sent); with the id of an event of this organization it resumes right after it; an unknown id starts now.
export async function openFeed(organizationId: string, lastEventId?: string | null): Promise<EventFeed> {
  const resumed = lastEventId
    ? await db.event.findFirst({ where: { id: lastEventId, organizationId }, select: { id: true, createdAt: true } })
    : null;
  if (resumed) return new EventFeed(organizationId, resumed, new Map());
  const now = new Date();
  const recent = await db.event.findMany({
    where: { organizationId, createdAt: { gte: new Date(now.getTime() - FEED_LOOKBACK_MS) } },
    select: { id: true, createdAt: true },
  });
  return new EventFeed(
    organizationId,
    { createdAt: new Date(now.getTime() - FEED_LOOKBACK_MS), id: "" },
    new Map(recent.map((e) => [e.id, e.createdAt])),
  );
}

export class EventFeed {
  // The newest event sent (or the start), and the ids sent within the look-back window behind it.
  constructor(
    private readonly organizationId: string,
    private start: Position,
    private readonly sent: Map<string, Date>,
    private newest: Position = start,
  ) {}

  // The events recorded since the last call, oldest first.
  async next(): Promise<FeedEvent[]> {
    const from = new Date(Math.max(this.start.createdAt.getTime(), this.newest.createdAt.getTime() - FEED_LOOKBACK_MS));
    const rows = await db.event.findMany({
      where: { organizationId: this.organizationId, createdAt: { gte: from } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH + this.sent.size,
    });
    const fresh = rows.filter((e) => !this.sent.has(e.id) && after(e, this.start)).slice(0, BATCH);
    for (const e of fresh) {
      this.sent.set(e.id, e.createdAt);
      if (after(e, this.newest)) this.newest = { createdAt: e.createdAt, id: e.id };
    }
    // Forget what fell out of the window.
    const horizon = this.newest.createdAt.getTime() - FEED_LOOKBACK_MS;
    for (const [id, at] of this.sent) if (at.getTime() < horizon) this.sent.delete(id);
    return fresh.map((e) => ({ id: e.id, type: e.type, timestamp: e.createdAt.toISOString(), data: e.data }));
  }
}

// Whether the key that opened a stream still holds (not revoked, not expired): a long-lived stream ends when it does not.
export async function keyStillActive(keyId: string): Promise<boolean> {
  const key = await db.apiKey.findUnique({ where: { id: keyId }, select: { revokedAt: true, expiresAt: true } });
  return !!key && !key.revokedAt && (!key.expiresAt || key.expiresAt.getTime() > Date.now());
}
