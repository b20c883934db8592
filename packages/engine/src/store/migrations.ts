import { EngineError } from '../errors.ts';
import type { Database } from './database.ts';
import { initialSchema } from './migrations/v1-initial-schema.ts';

/** One schema change: applied once, in version order, inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * Migration 1: the schema as first released, a fixed text (`migrations/v1-initial-schema.ts`).
 * Every table added or changed later comes as a new migration with the next version, declared by
 * the capability module it belongs to (`CapabilityModule.migrations`).
 */
export const initialMigration: Migration = { version: 1, name: 'initial schema', statements: initialSchema };

/**
 * The full migration list: {@link initialMigration} and the migrations the capability modules
 * declare, in version order. Versions must run 1, 2, 3, ... without a gap or a repeat, so two
 * capabilities cannot claim the same version unnoticed.
 *
 * @throws Error when the versions are not consecutive from 1 (a programming error, caught by the tests).
 */
export function migrationList(moduleMigrations: readonly Migration[]): readonly Migration[] {
  const list = [initialMigration, ...moduleMigrations].sort((a, b) => a.version - b.version);
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration versions must run 1, 2, 3, ... without gaps or repeats; found ${list.map((m) => m.version).join(', ')}`,
      );
    }
  });
  return list;
}

/**
 * Brings the database to the newest version of `migrations` (see {@link migrationList}). A database
 * written by a newer build is refused untouched.
 *
 * @returns the schema version the database now has.
 * @throws EngineError SCHEMA_TOO_NEW when the database's version is above the newest of `migrations`.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<number> {
  const newest = migrations.at(-1)?.version ?? 0;
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const row = await db.one<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  const current = row?.version ?? 0;
  if (current > newest) {
    throw new EngineError(
      'SCHEMA_TOO_NEW',
      `database ${db.path} has schema version ${current}, newer than this build's ${newest}; upgrade the software`,
      { databaseVersion: current, supportedVersion: newest },
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations VALUES ($version, $name, now()::TIMESTAMP)', {
        version: migration.version,
        name: migration.name,
      });
    });
  }
  return newest;
}
