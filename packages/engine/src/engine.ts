import type { Actor } from './auth/policy.ts';
import { scopeEngine } from './auth/scoped-services.ts';
import {
  type CapabilityOptions,
  type CapabilityServices,
  capabilities,
  migrations,
  registeredModules,
} from './capabilities.ts';
import type { EngineContext, IncidentsWrittenHook } from './context.ts';
import { EngineError } from './errors.ts';
import { EventOutbox } from './events/outbox.ts';
import { type CoreEngineOptions, defaultDatabasePath } from './options.ts';
import { Database } from './store/database.ts';
import { migrate } from './store/migrations.ts';
import { WorkerPool, type WorkerPoolStats } from './workers/pool.ts';

export { defaultDatabasePath } from './options.ts';

/**
 * Options of {@link openEngine}: the engine's own (path, workers, DuckDB threads, clock) and each
 * capability's under its name (`kpis: { openOutageHorizonHours }`).
 */
export type EngineOptions = CoreEngineOptions & CapabilityOptions;

/**
 * The capability services of an engine, one property per registered module (`capabilities.ts`):
 * `incidents` (ingestion, listing, reads and writes), `auth` (users, API tokens, sessions),
 * `recurrence` (incidents that keep coming back), `anomalies` (detectors, incident runs, the
 * anomaly lifecycle and summary) and `kpis` (metrics, measurements, the summary, maintenance
 * windows).
 */
export interface Engine extends CapabilityServices {}

/** Set by the class's static block: the one reader of an engine's private context. */
let readContext: (engine: Engine) => EngineContext;

/**
 * An open engine: the store, the worker pool and every capability service. Obtain one with
 * {@link openEngine}; call {@link Engine.close} when done.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Engine {
  /** Shared by the services; reachable only through {@link internalContext}, never from the shells. */
  readonly #context: EngineContext;
  /** Work registered with `context.onClose`, run first when the engine closes. */
  readonly #closers: readonly (() => Promise<void>)[];
  /** The outbox of domain events (anomaly detected, KPI threshold breached, ...). */
  readonly events: EventOutbox;
  private closing: Promise<void> | undefined;

  /** @internal Use {@link openEngine}. */
  constructor(
    context: EngineContext,
    services: CapabilityServices,
    closers: readonly (() => Promise<void>)[] = [],
  ) {
    this.#context = context;
    this.#closers = closers;
    this.events = context.events;
    Object.assign(this, services);
  }

  static {
    readContext = (engine) => engine.#context;
  }

  /** The database file this engine works on (`':memory:'` for an in-memory one). */
  get path(): string {
    return this.#context.db.path;
  }

  /** Load of the worker pool (threads, queue, utilisation, tasks completed), e.g. for `/metrics`. */
  workerStats(): WorkerPoolStats {
    return this.#context.pool.stats();
  }

  /** The engine's clock (`EngineOptions.now`, the system clock by default): what every service reads. */
  now(): Date {
    return this.#context.now();
  }

  /**
   * Readiness probe: resolves when the database answers a trivial query and the engine is not
   * closing, e.g. for `/health/ready`.
   *
   * @throws EngineError UNSUPPORTED once {@link Engine.close} was called; the store's error when the
   * database cannot answer.
   */
  async ping(): Promise<void> {
    if (this.closing) throw new EngineError('UNSUPPORTED', 'The engine is closing');
    await this.#context.db.one('SELECT 1 AS ok');
  }

  /**
   * This engine as `actor` sees it: every service method checks the actor against the engine's
   * policy (`auth/policy.ts`: viewers read, analysts write analyses, admins everything) and refuses
   * with FORBIDDEN before reading or changing anything. The engine itself acts as the system actor,
   * as the CLI and embedding code do; the HTTP server serves each request through `as(caller)`.
   */
  as(actor: Actor): Engine {
    return scopeEngine(
      this,
      capabilities.map((m) => m.name),
      actor,
    );
  }

  /** Finishes pending writes, stops the workers and releases the database. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const close of [...this.#closers].reverse()) await close();
      await this.#context.pool.close();
      await this.#context.db.close();
    })();
    return this.closing;
  }
}

/**
 * The context an engine's services share (database, worker pool, clock, outbox). For the engine's
 * own tests, fixtures and benchmarks only, through the `@incident-insights/engine/internal` subpath;
 * the shells use the engine's public methods.
 */
export function internalContext(engine: Engine): EngineContext {
  return readContext(engine);
}

/**
 * Opens (or creates) an engine on a DuckDB database and brings its schema up to date.
 *
 * @throws EngineError SCHEMA_TOO_NEW when the file was written by a newer version; VALIDATION_ERROR
 * for bad `kpi` options.
 */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  const modules = registeredModules;
  const optionsOf = (name: string): unknown => (options as Readonly<Record<string, unknown>>)[name];
  for (const module of modules) module.checkOptions?.(optionsOf(module.name)); // bad options fail before anything opens
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
  const services: Record<string, unknown> = {};
  const closers: (() => Promise<void>)[] = [];
  const context: EngineContext = {
    db,
    pool,
    now,
    events: new EventOutbox(db, now),
    incidentsWritten,
    services,
    jobKinds: modules.flatMap((m) => m.jobKinds ?? []),
    onClose: (work) => closers.push(work),
  };
  try {
    for (const module of modules)
      services[module.name] = await module.createService(context, optionsOf(module.name));
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    await pool.close();
    await db.close();
    throw error;
  }
  return new Engine(context, services as CapabilityServices, closers);
}
