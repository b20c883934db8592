import { EngineError } from '../errors.ts';
import type { Database } from './database.ts';
import { anomalyTables } from './tables/anomalies.ts';
import { authTables } from './tables/auth.ts';
import { costTables } from './tables/cost.ts';
import { dashboardTables } from './tables/dashboards.ts';
import { eventTables } from './tables/events.ts';
import { incidentTables } from './tables/incidents.ts';
import { kpiTables } from './tables/kpi.ts';
import { modelTables } from './tables/models.ts';
import { recurrenceTables } from './tables/recurrence.ts';

/** One schema change: applied once, in version order, inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** Every migration this build knows, oldest first. Append; never edit a released one. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      ...incidentTables,
      ...authTables,
      ...kpiTables,
      ...recurrenceTables,
      ...anomalyTables,
      ...modelTables,
      ...costTables,
      ...dashboardTables,
      ...eventTables,
    ],
  },
];

/** The schema version this build writes. */
export const schemaVersion = migrations.at(-1)?.version ?? 0;

/**
 * Brings the database to {@link schemaVersion}. A database written by a newer build is refused
 * untouched.
 *
 * @throws EngineError SCHEMA_TOO_NEW when the database's version is above this build's.
 */
export async function migrate(db: Database): Promise<number> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const row = await db.one<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  const current = row?.version ?? 0;
  if (current > schemaVersion) {
    throw new EngineError(
      'SCHEMA_TOO_NEW',
      `database ${db.path} has schema version ${current}, newer than this build's ${schemaVersion}; upgrade the software`,
      { databaseVersion: current, supportedVersion: schemaVersion },
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await db.transaction(async (conn) => {
      for (const statement of migration.statements) await conn.run(statement);
      await conn.run('INSERT INTO schema_migrations VALUES ($version, $name, now()::TIMESTAMP)', {
        version: migration.version,
        name: migration.name,
      });
    });
  }
  return schemaVersion;
}
