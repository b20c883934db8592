import type { EngineContext } from '../context.ts';
import type { EventType } from '../schema/enums.ts';
import { buildEventBody, type EventBody, matchesFilters } from './event-body.ts';
import type { WebhookFilters } from './webhook-types.ts';

interface Subscriber {
  readonly id: string;
  readonly eventTypes: readonly EventType[];
  readonly filters: WebhookFilters;
  /** Events at or before this outbox number predate the subscription. */
  readonly watermark: number;
}

/** The outbox position up to which events have been fanned out. */
async function readCursor(context: EngineContext): Promise<number> {
  const row = await context.db.one('SELECT last_seq FROM webhook_cursor');
  return Number(row?.['last_seq'] ?? 0);
}

/**
 * Reads the outbox after the cursor (at most `limit` events) and creates one PENDING delivery per
 * (event, matching active subscription), with its body built now, then moves the cursor past the
 * events read, all in one transaction: a pass that dies before the commit leaves the cursor where
 * it was, and the next one reads the same events again. A delivery is inserted only when none has
 * the same (event id, subscription id), so overlapping passes never create two. Inactive
 * subscriptions receive nothing for events that arrive while they are off.
 */
export async function fanOutEvents(
  context: EngineContext,
  limit: number,
): Promise<{ eventsRead: number; deliveriesCreated: number }> {
  const cursor = await readCursor(context);
  const events = await context.events.after(cursor, { limit });
  const last = events.at(-1);
  if (!last) return { eventsRead: 0, deliveriesCreated: 0 };
  const subscribers = (
    await context.db.all(
      `SELECT id::VARCHAR AS id, event_types, coalesce(filters, '{}')::VARCHAR AS filters, last_delivered_seq
       FROM webhooks WHERE is_active`,
    )
  ).map(
    (r): Subscriber => ({
      id: String(r['id']),
      eventTypes: r['event_types'] as EventType[],
      filters: JSON.parse(String(r['filters'])) as WebhookFilters,
      watermark: Number(r['last_delivered_seq'] ?? 0),
    }),
  );
  const planned: { webhook: string; eventId: string; seq: number; type: EventType; body: string }[] = [];
  for (const event of events) {
    const candidates = subscribers.filter(
      (s) => s.eventTypes.includes(event.event_type) && event.seq > s.watermark,
    );
    if (candidates.length === 0) continue;
    const built: EventBody = await buildEventBody(context, event);
    for (const s of candidates) {
      if (!matchesFilters(s.filters, event.event_type, built.facts)) continue;
      planned.push({
        webhook: s.id,
        eventId: event.id,
        seq: event.seq,
        type: event.event_type,
        body: built.body,
      });
    }
  }
  const now = context.now();
  return context.db.transaction(async (tx) => {
    const current = await tx.one('SELECT last_seq FROM webhook_cursor');
    if (Number(current?.['last_seq'] ?? 0) !== cursor) return { eventsRead: 0, deliveriesCreated: 0 };
    let created = 0;
    // One statement per chunk: the planned rows unnested side by side, minus pairs already stored.
    for (let i = 0; i < planned.length; i += 500) {
      const chunk = planned.slice(i, i + 500);
      const rows = await tx.rows(
        `INSERT INTO webhook_deliveries (id, seq, webhook_id, event_id, event_seq, event_type, status, body, attempts,
           attempt_count, first_attempt_at, next_attempt_at, created_at, delivered_at)
         SELECT p.id::UUID, nextval('webhook_deliveries_seq'), p.webhook::UUID, p.event::UUID, p.seq::BIGINT, p.type,
           'PENDING', p.body, '[]', 0, NULL, $now, $now, NULL
         FROM (SELECT unnest($ids) AS id, unnest($webhooks) AS webhook, unnest($events) AS event, unnest($seqs) AS seq,
                 unnest($types) AS type, unnest($bodies) AS body, generate_subscripts($ids, 1) AS n) AS p
         WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d
                           WHERE d.event_id = p.event::UUID AND d.webhook_id = p.webhook::UUID)
         ORDER BY p.n
         RETURNING id`,
        {
          ids: chunk.map(() => crypto.randomUUID()),
          webhooks: chunk.map((p) => p.webhook),
          events: chunk.map((p) => p.eventId),
          seqs: chunk.map((p) => String(p.seq)),
          types: chunk.map((p) => p.type),
          bodies: chunk.map((p) => p.body),
          now,
        },
      );
      created += rows.length;
    }
    await tx.run('UPDATE webhook_cursor SET last_seq = $seq', { seq: last.seq });
    return { eventsRead: events.length, deliveriesCreated: created };
  });
}
