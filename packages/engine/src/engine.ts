import { AnomalyService } from './anomaly/anomaly-service.ts';
import { AuthService } from './auth/auth-service.ts';
import type { EngineContext } from './context.ts';
import { EventOutbox } from './events/outbox.ts';
import { IncidentService } from './incidents/incident-service.ts';
import { type KpiOptions, outageRule } from './kpi/kpi-options.ts';
import { KpiService } from './kpi/kpi-service.ts';
import { RecurrenceService } from './recurrence/recurrence-service.ts';
import { Database } from './store/database.ts';
import { migrate } from './store/migrations.ts';
import { WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './workers/pool.ts';

/** Where {@link openEngine} keeps its database when no path is given. */
export const defaultDatabasePath = './data/insights.duckdb';

/** Options of {@link openEngine}. */
export interface EngineOptions {
  /** Database file; `':memory:'` for a private in-memory database. Default {@link defaultDatabasePath}. */
  readonly path?: string;
  /** Worker-pool settings (threads default to the available cores). */
  readonly workers?: WorkerPoolOptions;
  /** DuckDB threads; defaults to DuckDB's own choice (the cores). */
  readonly duckdbThreads?: number;
  /** The clock; tests pass a fixed one. */
  readonly now?: () => Date;
  /** KPI settings (how long an open incident counts as an outage). */
  readonly kpi?: KpiOptions;
}

/**
 * An open engine: the store, the worker pool and every capability service. Obtain one with
 * {@link openEngine}; call {@link Engine.close} when done.
 */
export class Engine {
  /** @internal Shared by the services; not part of the public API. */
  readonly context: EngineContext;
  /** The outbox of domain events (anomaly detected, KPI threshold breached, ...). */
  readonly events: EventOutbox;
  /** Incidents: ingestion from files and objects, listing, reads and writes. */
  readonly incidents: IncidentService;
  /** Users, API tokens and sessions. */
  readonly auth: AuthService;
  /** Incident recurrence analyses: patterns of incidents that keep coming back. */
  readonly recurrence: RecurrenceService;
  /** Anomaly detection: detectors on any series, incident runs, the anomaly lifecycle and summary. */
  readonly anomalies: AnomalyService;
  /** KPI metrics, measurements, the summary and maintenance windows. */
  readonly kpis: KpiService;
  private closing: Promise<void> | undefined;

  /** @internal Use {@link openEngine}. */
  constructor(context: EngineContext, options: Pick<EngineOptions, 'kpi'> = {}) {
    this.context = context;
    this.events = context.events;
    this.incidents = new IncidentService(context);
    this.auth = new AuthService(context);
    this.recurrence = new RecurrenceService(context);
    this.anomalies = new AnomalyService(context);
    this.kpis = new KpiService(context, options.kpi);
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
  outageRule(options.kpi); // bad KPI options fail before anything is opened
  const db = await Database.open(options.path ?? defaultDatabasePath, {
    ...(options.duckdbThreads ? { threads: options.duckdbThreads } : {}),
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const now = options.now ?? (() => new Date());
  const pool = new WorkerPool(options.workers);
  const context: EngineContext = { db, pool, now, events: new EventOutbox(db, now) };
  const engine = new Engine(context, options.kpi ? { kpi: options.kpi } : {});
  await engine.kpis.ensureSystemMetrics();
  return engine;
}
