import { type CapabilityServices, capabilities, migrations } from './capabilities.ts';
import type { CapabilityModule } from './capability.ts';
import type { EngineContext, IncidentsWrittenHook } from './context.ts';
import { EventOutbox } from './events/outbox.ts';
import { defaultDatabasePath, type EngineOptions } from './options.ts';
import { Database } from './store/database.ts';
import { migrate } from './store/migrations.ts';
import { WorkerPool, type WorkerPoolStats } from './workers/pool.ts';

export { defaultDatabasePath, type EngineOptions } from './options.ts';

/**
 * The capability services of an engine, one property per registered module (`capabilities.ts`):
 * `incidents` (ingestion, listing, reads and writes), `auth` (users, API tokens, sessions),
 * `recurrence` (incidents that keep coming back), `anomalies` (detectors, incident runs, the
 * anomaly lifecycle and summary) and `kpis` (metrics, measurements, the summary, maintenance
 * windows).
 */
export interface Engine extends CapabilityServices {}

/**
 * An open engine: the store, the worker pool and every capability service. Obtain one with
 * {@link openEngine}; call {@link Engine.close} when done.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Engine {
  /** @internal Shared by the services; not part of the public API. */
  readonly context: EngineContext;
  /** The outbox of domain events (anomaly detected, KPI threshold breached, ...). */
  readonly events: EventOutbox;
  private closing: Promise<void> | undefined;

  /** @internal Use {@link openEngine}. */
  constructor(context: EngineContext, services: CapabilityServices) {
    this.context = context;
    this.events = context.events;
    Object.assign(this, services);
  }

  /** The database file this engine works on (`':memory:'` for an in-memory one). */
  get path(): string {
    return this.context.db.path;
  }

  /** Load of the worker pool (threads, queue, utilisation, tasks completed), e.g. for `/metrics`. */
  workerStats(): WorkerPoolStats {
    return this.context.pool.stats();
  }

  /** Finishes pending writes, stops the workers and releases the database. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.context.pool.close();
      await this.context.db.close();
    })();
    return this.closing;
  }
}

/**
 * Opens (or creates) an engine on a DuckDB database and brings its schema up to date.
 *
 * @throws EngineError SCHEMA_TOO_NEW when the file was written by a newer version; VALIDATION_ERROR
 * for bad `kpi` options.
 */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const modules: readonly CapabilityModule<string, unknown>[] = capabilities;
  for (const module of modules) module.checkOptions?.(options); // bad options fail before anything opens
  const db = await Database.open(options.path ?? defaultDatabasePath, {
    ...(options.duckdbThreads ? { threads: options.duckdbThreads } : {}),
  });
  try {
    await migrate(db, migrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  const now = options.now ?? (() => new Date());
  const pool = new WorkerPool(options.workers);
  const subscribers = modules.flatMap((m) => (m.onIncidentsWritten ? [m.onIncidentsWritten] : []));
  const incidentsWritten: IncidentsWrittenHook = async (tx, written) => {
    for (const subscriber of subscribers) await subscriber(tx, written);
  };
  const context: EngineContext = { db, pool, now, events: new EventOutbox(db, now), incidentsWritten };
  const services: Record<string, unknown> = {};
  try {
    for (const module of modules) services[module.name] = await module.createService(context, options);
  } catch (error) {
    await pool.close();
    await db.close();
    throw error;
  }
  return new Engine(context, services as CapabilityServices);
}
