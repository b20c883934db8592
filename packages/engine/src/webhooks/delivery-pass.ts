import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { type AttemptDeps, attemptDelivery, dueSelect, dueWhere } from './delivery-attempt.ts';
import { fanOutEvents } from './fan-out.ts';
import type { DeliveryPassResult } from './webhook-types.ts';

/**
 * One delivery pass: fans the new outbox events out into deliveries (at most `limit` events,
 * default 1,000), then attempts the due deliveries (at most `limit`, oldest first), `concurrency`
 * at a time, skipping any this process is already attempting (`inFlight`). Stops starting
 * attempts once `signal` is aborted; every attempt started is recorded.
 */
export async function runDeliveryPass(
  deps: AttemptDeps,
  inFlight: Set<string>,
  concurrency: number,
  options: { signal?: AbortSignal; onProgress?: (message: string) => void; limit?: number },
): Promise<DeliveryPassResult> {
  const { context } = deps;
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new EngineError('VALIDATION_ERROR', 'limit must be a whole number from 1 to 100000', {
      parameter: 'limit',
    });
  }
  const fan = await fanOutEvents(context, limit);
  options.onProgress?.(`${fan.eventsRead} events read, ${fan.deliveriesCreated} deliveries created`);
  const result = { ...fan, attempted: 0, succeeded: 0, retrying: 0, deadLettered: 0, disabled: 0 };
  const due = await context.db.all(
    `SELECT d.id::VARCHAR AS id FROM webhook_deliveries AS d JOIN webhooks AS w ON w.id = d.webhook_id
     WHERE ${dueWhere} ORDER BY d.seq LIMIT $limit`,
    { now: context.now(), limit },
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < due.length && !options.signal?.aborted) {
      const id = String(due[next++]?.['id']);
      if (inFlight.has(id)) continue;
      inFlight.add(id);
      try {
        // Read again once claimed: another pass of this process may have sent it meanwhile.
        const row = await context.db.one(`${dueSelect} WHERE d.id = $id::UUID AND ${dueWhere}`, {
          id,
          now: context.now(),
        });
        if (!row) continue;
        const outcome = await attemptDelivery(deps, row);
        result.attempted++;
        if (outcome === 'succeeded') result.succeeded++;
        else if (outcome === 'retrying') result.retrying++;
        else result.deadLettered++;
        if (outcome === 'dead-and-disabled') result.disabled++;
      } finally {
        inFlight.delete(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
  options.onProgress?.(`${result.attempted} deliveries attempted, ${result.succeeded} succeeded`);
  return result;
}

/**
 * Whether a pass has anything to do: outbox events past the cursor while an active subscription
 * could receive them, or deliveries due now. One query; a server without subscriptions never
 * queues a pass for its events.
 */
export async function hasDeliveryWork(context: EngineContext): Promise<boolean> {
  const row = await context.db.one(
    `SELECT (coalesce((SELECT max(seq) FROM events), 0) > (SELECT last_seq FROM webhook_cursor)
             AND EXISTS (SELECT 1 FROM webhooks WHERE is_active))
       OR EXISTS (SELECT 1 FROM webhook_deliveries AS d JOIN webhooks AS w ON w.id = d.webhook_id
                  WHERE ${dueWhere}) AS work`,
    { now: context.now() },
  );
  return Boolean(row?.['work']);
}
