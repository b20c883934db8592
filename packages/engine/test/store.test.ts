import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../src/capabilities.ts';
import { EngineError, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { Database } from '../src/store/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the store', () => {
  it('creates every table of the spec on first open', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const tables = await internalContext(engine).db.all<{ name: string }>(
      'SELECT table_name AS name FROM duckdb_tables()',
    );
    const names = tables.map((t) => t.name);
    for (const table of [
      'incidents',
      'kpi_metrics',
      'kpi_measurements',
      'recurrence_analyses',
      'predictive_models',
      'anomaly_detections',
      'cost_analyses',
      'dashboard_configurations',
      'heatmap_data',
      'predictive_insights',
      'users',
      'api_tokens',
      'events',
    ]) {
      expect(names).toContain(table);
    }
    await engine.close();
  });

  it('opens and closes a file database 100 times, keeping its data', async () => {
    const path = join(dir, 'reopen.duckdb');
    for (let i = 0; i < 100; i++) {
      const engine = await openEngine({ path });
      await internalContext(engine).db.run(
        "INSERT INTO maintenance_windows VALUES (uuid(), 'api', now()::TIMESTAMP, now()::TIMESTAMP, '', now()::TIMESTAMP)",
      );
      await engine.close();
    }
    const engine = await openEngine({ path });
    const row = await internalContext(engine).db.one<{ n: bigint }>(
      'SELECT count(*) AS n FROM maintenance_windows',
    );
    expect(row?.n).toBe(100n);
    await engine.close();
  });

  it('refuses a database written by a newer schema version and leaves it untouched', async () => {
    const path = join(dir, 'newer.duckdb');
    const db = await Database.open(path);
    await db.run(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
    await db.run("INSERT INTO schema_migrations VALUES ($v, 'future', now()::TIMESTAMP)", {
      v: schemaVersion + 1,
    });
    await db.close();

    const error = await openEngine({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('SCHEMA_TOO_NEW');

    const again = await Database.open(path);
    const tables = await again.all('SELECT table_name FROM duckdb_tables()');
    expect(tables).toHaveLength(1);
    await again.close();
  });

  it('rolls back a failed transaction completely', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const db = internalContext(engine).db;
    await expect(
      db.transaction(async (conn) => {
        await conn.run(
          "INSERT INTO maintenance_windows VALUES (uuid(), 'a', now()::TIMESTAMP, now()::TIMESTAMP, '', now()::TIMESTAMP)",
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.one<{ n: bigint }>('SELECT count(*) AS n FROM maintenance_windows'))?.n).toBe(0n);
    await engine.close();
  });
});
