import type { EventType } from '../schema/enums.ts';
import type { Database, Transaction } from '../store/database.ts';

/** One domain event as stored in the outbox. `seq` orders events and never repeats. */
export interface DomainEvent {
  id: string;
  seq: number;
  event_type: EventType;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * The outbox of domain events. Producers append inside their own write transaction, so an event
 * exists exactly when the change it reports was committed; consumers (webhooks, the CLI) read
 * forward from a sequence number they remember.
 */
export class EventOutbox {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** Appends an event in the caller's transaction. */
  async append(tx: Transaction, type: EventType, payload: Record<string, unknown>): Promise<void> {
    await tx.run("INSERT INTO events VALUES ($id::UUID, nextval('events_seq'), $type, $payload::JSON, $at)", {
      id: crypto.randomUUID(),
      type,
      payload: JSON.stringify(payload),
      at: this.now(),
    });
  }

  /** Events after `afterSeq` (exclusive), oldest first, at most `limit`, optionally of some types only. */
  async after(
    afterSeq = 0,
    options: { limit?: number; types?: readonly EventType[] } = {},
  ): Promise<DomainEvent[]> {
    const rows = await this.db.all(
      `SELECT id::VARCHAR AS id, seq, event_type, payload::VARCHAR AS payload, created_at FROM events
       WHERE seq > $after ${options.types ? 'AND list_contains($types, event_type)' : ''}
       ORDER BY seq LIMIT $limit`,
      {
        after: afterSeq,
        limit: options.limit ?? 1000,
        ...(options.types ? { types: [...options.types] } : {}),
      },
    );
    return rows.map((r) => ({
      id: String(r['id']),
      seq: Number(r['seq']),
      event_type: r['event_type'] as EventType,
      payload: JSON.parse(String(r['payload'])) as Record<string, unknown>,
      created_at: r['created_at'] as Date,
    }));
  }
}
