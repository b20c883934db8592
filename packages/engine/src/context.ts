import type { EventOutbox } from './events/outbox.ts';
import type { JobKind } from './jobs/job-types.ts';
import type { Database } from './store/database.ts';
import type { SqlParams } from './store/sql-values.ts';
import type { Transaction } from './store/transaction.ts';
import type { WorkerPool } from './workers/pool.ts';

/**
 * What every capability service is built with: the database, the worker pool, the event outbox,
 * the clock and the incident-write hook. Services take `now` from here, never from `new Date()`,
 * so tests can fix time.
 */
export interface EngineContext {
  readonly db: Database;
  readonly pool: WorkerPool;
  readonly events: EventOutbox;
  readonly now: () => Date;
  /**
   * Incident writers call this inside their transaction, before the write, with the incidents the
   * write moves or deletes; it runs every capability's `onIncidentsWritten`.
   */
  readonly incidentsWritten: IncidentsWrittenHook;
  /**
   * The capability services by name, filled in registry order while the engine opens (all of them
   * once `openEngine` returns): what job handlers run with.
   */
  readonly services: Readonly<Record<string, unknown>>;
  /** The job kinds every registered module offers (`CapabilityModule.jobKinds`), in registry order. */
  readonly jobKinds: readonly JobKind[];
  /**
   * Registers work to run when the engine closes, before the workers and the database stop (the
   * job runner stops there). Later registrations run first.
   */
  readonly onClose: (work: () => Promise<void>) => void;
}

/**
 * What an incident write (ingestion, create, update, delete) announces, inside its transaction and
 * before it changes anything: where the incidents it moves or deletes are now. Rows it inserts or
 * updates need no announcement: every write sets their `updated_at` to its own time, so a
 * subscriber finds their new place by `updated_at`.
 */
interface IncidentsWritten {
  /**
   * A `SELECT` (run it in the same transaction, before the write) yielding one row per affected
   * incident: `hour` (TIMESTAMP, `created_at` truncated to the hour) and `service` (VARCHAR or
   * NULL), for every incident the write deletes or whose `created_at` or `service` it changes.
   */
  readonly vacated: { readonly sql: string; readonly params: SqlParams };
}

/** Tells every subscribing capability about an incident write (see {@link IncidentsWritten}). */
export type IncidentsWrittenHook = (tx: Transaction, written: IncidentsWritten) => Promise<void>;
