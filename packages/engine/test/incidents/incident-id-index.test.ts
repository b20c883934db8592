/**
 * The index on `incidents(id)` (migration 8): it exists, DuckDB answers the point read with it, and
 * every read and write by id answers exactly as on the same database without it (the index dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentByIdSql } from '../../src/incidents/incident-service.ts';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { incidentColumns } from '../../src/schema/incident.ts';
import { incidentIdIndexName } from '../../src/store/migrations/v8-incident-id-index.ts';
import { outcome } from '../ingest/twin-engines.ts';

let clock = new Date('2026-03-01T00:00:00Z');
const now = () => clock;

/** A UUID of its own for incident `n` (given ids, so both engines hold the same rows). */
function idOf(n: number): string {
  return `${(0x9e3779b1 * (n + 1)).toString(16).slice(-8).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function record(n: number, changes: Partial<IncidentInput> = {}): IncidentInput {
  return {
    id: idOf(n),
    external_id: `INC-${n}`,
    title: `Incident ${n}`,
    severity: (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const)[n % 4] ?? 'LOW',
    priority: (['P1', 'P2', 'P3', 'P4', 'P5'] as const)[n % 5] ?? 'P5',
    service: `svc-${n % 7}`,
    created_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    tags: n % 3 === 0 ? ['db'] : [],
    ...changes,
  };
}

const incidents = 3000;
let indexed: Engine;
let unindexed: Engine;

beforeAll(async () => {
  indexed = await openEngine({ path: ':memory:', now });
  unindexed = await openEngine({ path: ':memory:', now });
  await internalContext(unindexed).db.run(`DROP INDEX IF EXISTS ${incidentIdIndexName}`);
  const records = Array.from({ length: incidents }, (_, n) => record(n));
  for (const engine of [indexed, unindexed]) await engine.incidents.ingest({ records });
});

afterAll(async () => {
  await indexed.close();
  await unindexed.close();
});

/** The scan DuckDB ran for the point read of `id` (`Index Scan` or `Sequential Scan`). */
async function pointReadScan(engine: Engine, id: string): Promise<string | undefined> {
  const rows = await internalContext(engine).db.all<{ explain_value: string }>(
    `EXPLAIN ANALYZE ${incidentByIdSql}`,
    { id },
  );
  return /Type: (\w+ Scan)/.exec(rows.map((r) => r.explain_value).join('\n'))?.[1];
}

/** Runs `work` on both engines, one after the other, and returns both outcomes. */
async function onBoth(work: (engine: Engine) => Promise<unknown>): Promise<[unknown, unknown]> {
  return [await outcome(() => work(indexed)), await outcome(() => work(unindexed))];
}

describe('the incident id index', () => {
  it('is created by the migrations on incidents(id)', async () => {
    const rows = await internalContext(indexed).db.all(
      `SELECT index_name, expressions, is_unique FROM duckdb_indexes() WHERE table_name = 'incidents'`,
    );
    expect(rows).toEqual([{ index_name: incidentIdIndexName, expressions: '[id]', is_unique: false }]);
  });

  it('answers the point read by id with an index scan, the cast parameter included', async () => {
    expect(await pointReadScan(indexed, idOf(1234))).toBe('Index Scan');
    // The same statement on the same rows scans the table once the index is gone.
    expect(await pointReadScan(unindexed, idOf(1234))).toBe('Sequential Scan');
  });

  it('reads as without it: found, upper case, unknown and malformed ids', async () => {
    for (const id of [idOf(7), idOf(2999).toUpperCase(), idOf(incidents + 1), 'not-a-uuid', '']) {
      const [withIndex, without] = await onBoth((engine) => engine.incidents.get(id));
      expect(withIndex).toEqual(without);
    }
    const [found] = await onBoth((engine) => engine.incidents.get(idOf(7)));
    expect(found).toMatchObject({ ok: { id: idOf(7), external_id: 'INC-7' } });
  });

  it('updates, deletes and refuses as without it', async () => {
    const steps: ((engine: Engine) => Promise<unknown>)[] = [
      (e) =>
        e.incidents.update(idOf(10), { title: 'Renamed', created_at: '2026-02-01T00:00:00Z', tags: ['x'] }),
      (e) => e.incidents.update(idOf(11), { external_id: 'INC-12' }),
      (e) => e.incidents.update(idOf(incidents + 5), { title: 'nobody' }),
      (e) => e.incidents.delete(idOf(20)),
      (e) => e.incidents.delete(idOf(20)),
      (e) => e.incidents.get(idOf(20)),
      (e) => e.incidents.get(idOf(10)),
      (e) => e.incidents.create({ ...record(incidents + 1), id: idOf(30), external_id: 'NEW-1' }),
      (e) =>
        e.incidents.create({ ...record(incidents + 2), external_id: 'NEW-2' }).then((r) => r.external_id),
    ];
    const outcomes: unknown[] = [];
    for (const step of steps) {
      const [withIndex, without] = await onBoth(step);
      expect(withIndex).toEqual(without);
      outcomes.push(withIndex);
    }
    expect(outcomes.map((o) => (o as { code?: string }).code)).toEqual([
      undefined,
      'CONFLICT',
      'NOT_FOUND',
      undefined,
      'NOT_FOUND',
      'NOT_FOUND',
      undefined,
      'CONFLICT',
      undefined,
    ]);
  });

  it('upserts by external id as without it, and refuses taken and repeated ids alike', async () => {
    const sources = [
      // Every row known: the MERGE path, fields changed (tags too, which DuckDB rewrites as delete + insert).
      Array.from({ length: 500 }, (_, n) => record(n + 100, { title: `Again ${n}`, tags: ['again'] })),
      // Known and new rows together, new ones with given ids.
      [record(700, { severity: 'CRITICAL' }), record(incidents + 10), record(incidents + 11)],
      // A given id of another incident: CONFLICT, nothing written.
      [record(800, { id: idOf(801) })],
      // One id given to two incidents of the source: CONFLICT.
      [record(incidents + 20), record(incidents + 21, { id: idOf(incidents + 20) })],
    ];
    clock = new Date('2026-03-02T00:00:00Z');
    for (const records of sources) {
      const [withIndex, without] = await onBoth((engine) => engine.incidents.ingest({ records }));
      expect(withIndex).toEqual(without);
    }
    // An overwritten incident keeps its id and ingested_at; updated_at moves to the upsert's clock.
    const [again] = await onBoth((engine) =>
      internalContext(engine).db.one(
        `SELECT CAST(id AS VARCHAR) AS id, title, tags, ingested_at, updated_at FROM incidents WHERE external_id = 'INC-100'`,
      ),
    );
    expect(again).toEqual({
      ok: {
        id: idOf(100),
        title: 'Again 0',
        tags: ['again'],
        ingested_at: new Date('2026-03-01T00:00:00Z'),
        updated_at: new Date('2026-03-02T00:00:00Z'),
      },
    });
  });

  it('upserts known rows leaving what a MERGE by external id would leave', async () => {
    const engine = await openEngine({ path: ':memory:', now });
    try {
      const db = internalContext(engine).db;
      await engine.incidents.ingest({ records: Array.from({ length: 300 }, (_, n) => record(n)) });
      await db.run('CREATE TABLE reference AS SELECT * FROM incidents');
      const upserted = [
        ...Array.from({ length: 100 }, (_, n) =>
          record(2 * n, { title: `Again ${n}`, tags: ['x', 'y'], service: 'moved' }),
        ),
        record(incidents + 30),
      ];
      clock = new Date('2026-03-03T00:00:00Z');
      expect(await engine.incidents.ingest({ records: upserted })).toMatchObject({
        inserted: 1,
        updated: 100,
      });
      // The statement the upsert was before: a MERGE of the values now stored for those external ids
      // into the rows as they were, which keeps each matched row's id and ingested_at.
      const data = incidentColumns.map((c) => c.name).filter((c) => c !== 'id' && c !== 'external_id');
      const all = ['id', 'external_id', ...data, 'ingested_at', 'updated_at'];
      const externalIds = upserted.map((r) => `'${r.external_id}'`).join(', ');
      await db.run(
        `MERGE INTO reference AS t
         USING (SELECT * FROM incidents WHERE external_id IN (${externalIds})) AS s ON t.external_id = s.external_id
         WHEN MATCHED THEN UPDATE SET ${[...data, 'updated_at'].map((c) => `${c} = s.${c}`).join(', ')}
         WHEN NOT MATCHED THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `s.${c}`).join(', ')})`,
      );
      const rows = (table: string) => db.all(`SELECT * FROM ${table} ORDER BY external_id`);
      const stored = await rows('incidents');
      expect(stored).toHaveLength(301);
      expect(stored).toEqual(await rows('reference'));
    } finally {
      await engine.close();
    }
  });

  it('leaves the same rows, and the index still answers the point read after those writes', async () => {
    const all = (engine: Engine) =>
      internalContext(engine).db.all(
        `SELECT * EXCLUDE (id), CAST(id AS VARCHAR) AS id FROM incidents WHERE external_id <> 'NEW-2' ORDER BY id`,
      );
    const [withIndex, without] = [await all(indexed), await all(unindexed)];
    // 3,000 ingested, one deleted, two new from the upserts (the create with a taken id was refused).
    expect(withIndex).toHaveLength(incidents + 1);
    expect(withIndex).toEqual(without);
    for (const n of [100, 599, 700, incidents + 10]) {
      expect(await pointReadScan(indexed, idOf(n))).toBe('Index Scan');
      expect((await indexed.incidents.get(idOf(n))).id).toBe(idOf(n));
    }
  });
});
