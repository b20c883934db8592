import type { Migration } from '../migrations.ts';

/** The name of the index {@link incidentIdIndexMigration} creates on `incidents(id)`. */
export const incidentIdIndexName = 'incidents_id';

/**
 * Migration 8: an ART index on `incidents(id)`, so a read, update or delete of one incident by id
 * looks the row up instead of scanning the whole `id` column (random UUIDs defeat DuckDB's zone
 * maps: at 2,000,000 incidents the scan cost tens of milliseconds a read). DuckDB chooses the index
 * when the statement runs, for an `id = <value>` filter, a bound parameter included; `EXPLAIN`
 * shows a sequential scan and only `EXPLAIN ANALYZE` shows `Index Scan`.
 *
 * Not `UNIQUE`: the engine already refuses a second incident with a taken id (CONFLICT, with the row
 * of the source), and a unique index would answer with DuckDB's constraint error instead and check
 * the rows an upsert deletes and inserts again (ingest/staging.ts). Updates of other columns stay
 * in place. On a database that already holds incidents the index is built when the engine opens
 * after the upgrade (once; a few seconds at millions of incidents, see bench/RESULTS.md).
 */
export const incidentIdIndexMigration: Migration = {
  version: 8,
  name: 'incident id index',
  statements: [`CREATE INDEX ${incidentIdIndexName} ON incidents (id)`],
};
