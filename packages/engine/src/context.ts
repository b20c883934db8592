import type { EventOutbox } from './events/outbox.ts';
import type { Database } from './store/database.ts';
import type { WorkerPool } from './workers/pool.ts';

/**
 * What every capability service is built with: the database, the worker pool, the event outbox
 * and the clock. Services take `now` from here, never from `new Date()`, so tests can fix time.
 */
export interface EngineContext {
  readonly db: Database;
  readonly pool: WorkerPool;
  readonly events: EventOutbox;
  readonly now: () => Date;
}
