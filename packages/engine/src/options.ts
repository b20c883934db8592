import type { WorkerPoolOptions } from './workers/pool.ts';

/** Where `openEngine` keeps its database when no path is given. */
export const defaultDatabasePath = './data/insights.duckdb';

/**
 * The options of `openEngine` that belong to the engine itself; each capability adds its own
 * under its name (`kpis: { openOutageHorizonHours }`), see `EngineOptions`.
 */
export interface CoreEngineOptions {
  /** Database file; `':memory:'` for a private in-memory database. Default {@link defaultDatabasePath}. */
  readonly path?: string;
  /** Worker-pool settings (threads default to the available cores). */
  readonly workers?: WorkerPoolOptions;
  /** DuckDB threads; defaults to DuckDB's own choice (the cores). */
  readonly duckdbThreads?: number;
  /** The clock; tests pass a fixed one. */
  readonly now?: () => Date;
}
