import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, schemaVersion } from '../src/capabilities.ts';
import { openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { incidentColumnDdl } from '../src/schema/incident.ts';
import { Database } from '../src/store/database.ts';
import { initialMigration, migrate, migrationList } from '../src/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(import.meta.dirname, 'fixtures');

/**
 * The schema of the open database, one line per column, constraint (but NOT NULL, which the column
 * line carries) and index, in the layout of `fixtures/schema-v1.txt`.
 */
async function schemaLines(db: Database): Promise<string[]> {
  const scope = "schema_name = 'main' AND database_name = current_database()";
  const columns = await db.all<Record<string, string | boolean | null>>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns()
     WHERE ${scope} ORDER BY table_name, column_index`,
  );
  const constraints = await db.all<Record<string, string>>(
    `SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints()
     WHERE ${scope} AND constraint_type <> 'NOT NULL' ORDER BY table_name, constraint_text, constraint_type`,
  );
  const indexes = await db.all<Record<string, string>>(
    `SELECT table_name, index_name, sql FROM duckdb_indexes() WHERE ${scope} ORDER BY table_name, index_name`,
  );
  return [
    ...columns.map(
      (c) =>
        `column ${c['table_name']}.${c['column_name']} ${c['data_type']}${c['is_nullable'] ? '' : ' NOT NULL'}` +
        `${c['column_default'] === null ? '' : ` DEFAULT ${c['column_default']}`}`,
    ),
    ...constraints.map(
      (c) => `constraint ${c['table_name']} ${c['constraint_type']} ${c['constraint_text']}`,
    ),
    ...indexes.map((i) => `index ${i['table_name']}.${i['index_name']} ${i['sql']}`),
  ];
}

describe('schema migrations', () => {
  it('migrates an empty database to exactly the released schema of version 1', async () => {
    // fixtures/schema-v1.txt was read from a database created by the build that released version 1
    // (commit 2e9af6a, whose migration 1 was still generated from the table files).
    const expected = readFileSync(join(fixtures, 'schema-v1.txt'), 'utf8').trimEnd().split('\n');
    const db = await Database.open(':memory:');
    try {
      expect(await migrate(db, [initialMigration])).toBe(1);
      expect(await schemaLines(db)).toEqual(expected);
    } finally {
      await db.close();
    }
  });

  it('opens a database file written by the release of version 1, keeping its data', async () => {
    // fixtures/schema-v1.duckdb.gz: made by commit 2e9af6a with two ingested incidents, INC-1 and INC-2.
    const path = join(dir, 'released-v1.duckdb');
    writeFileSync(path, gunzipSync(readFileSync(join(fixtures, 'schema-v1.duckdb.gz'))));
    const engine = await openEngine({ path, workers: { threads: 1 } });
    try {
      const page = await engine.incidents.list({ ordering: 'created_at' });
      expect(page.results.map((i) => i.external_id)).toEqual(['INC-1', 'INC-2']);
      const versions = await internalContext(engine).db.all<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
      expect(versions.at(-1)?.version).toBe(schemaVersion);
    } finally {
      await engine.close();
    }
  });

  it('applies a later migration on top of version 1, once', async () => {
    const second = {
      version: 2,
      name: 'cache table',
      statements: ['CREATE TABLE cache_entries (k VARCHAR)'],
    };
    const list = migrationList([second]);
    expect(list.map((m) => m.version)).toEqual([1, 2]);
    const db = await Database.open(':memory:');
    try {
      expect(await migrate(db, [initialMigration])).toBe(1);
      expect(await migrate(db, list)).toBe(2);
      expect(await migrate(db, list)).toBe(2); // nothing left to apply: the CREATE does not run twice
      const tables = await db.all<{ n: bigint }>(
        "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'cache_entries'",
      );
      expect(tables[0]?.n).toBe(1n);
    } finally {
      await db.close();
    }
  });

  it('refuses a migration list with a gap or two migrations of one version', () => {
    const statements: string[] = [];
    expect(() => migrationList([{ version: 3, name: 'gap', statements }])).toThrow(/without gaps or repeats/);
    expect(() =>
      migrationList([
        { version: 2, name: 'a', statements },
        { version: 2, name: 'b', statements },
      ]),
    ).toThrow(/without gaps or repeats/);
  });

  it('keeps the incident column definitions (staging, validation) in step with the migrated table', async () => {
    const db = await Database.open(':memory:');
    try {
      await migrate(db, migrations);
      const stored = await db.all<{ column_name: string; data_type: string; is_nullable: boolean }>(
        "SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'incidents'",
      );
      const byName = new Map(stored.map((c) => [c.column_name, c]));
      for (const ddl of incidentColumnDdl()) {
        const [name, type] = ddl.split(' ') as [string, string];
        expect(byName.get(name), name).toMatchObject({
          data_type: type,
          is_nullable: !ddl.includes('NOT NULL'),
        });
      }
      expect(stored.map((c) => c.column_name)).toEqual([
        ...incidentColumnDdl().map((ddl) => ddl.split(' ')[0]),
        'ingested_at',
        'updated_at',
      ]);
    } finally {
      await db.close();
    }
  });

  it('keeps migration 1 a fixed text, not built from code', () => {
    // The frozen file holds only string literals: no import and no `${...}` substitution.
    const source = readFileSync(
      join(import.meta.dirname, '../src/store/migrations/v1-initial-schema.ts'),
      'utf8',
    );
    expect(source).not.toMatch(/^import /m);
    expect(source).not.toContain('${');
  });
});
