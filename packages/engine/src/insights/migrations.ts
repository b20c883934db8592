import type { Migration } from '../store/migrations.ts';

/**
 * Migration 5: what predictive insights need beyond migration 1's `predictive_insights`.
 *
 * - `model_version`: the version of the model that made the insight (`predictive_models.version`
 *   when it was generated), so an insight keeps saying which training it came from.
 * - `insight_key`: what the insight is about, stable across runs (type, subject, horizon and window,
 *   e.g. `INCIDENT_FORECAST|day|all|2024-03-02T00:00:00.000Z`): generation looks it up with the model
 *   and version to write each insight once.
 *
 * No index: the table holds thousands of rows, which DuckDB scans in well under a millisecond, and
 * a DuckDB table with an index cannot be altered by a later migration.
 */
export const insightsMigration: Migration = {
  version: 5,
  name: 'predictive insight model version and key',
  statements: [
    'ALTER TABLE predictive_insights ADD COLUMN model_version VARCHAR',
    'ALTER TABLE predictive_insights ADD COLUMN insight_key VARCHAR',
  ],
};
