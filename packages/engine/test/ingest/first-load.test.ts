import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { ingestInJs } from '../../src/ingest/ingest.ts';
import { internalContext } from '../../src/internal.ts';
import type { Transaction } from '../../src/store/transaction.ts';
import { outcome, scratchFiles } from './twin-engines.ts';

const now = () => new Date('2026-06-01T00:00:00Z');
const csvFile = scratchFiles('insights-first-load', 'csv');
const ndjsonFile = scratchFiles('insights-first-load', 'ndjson');
const parquetDir = scratchFiles('insights-first-load', 'parquet');

/** The statements `engine` runs in its write sections (transactions included), in order, from now on. */
function recordStatements(engine: Engine): string[] {
  const statements: string[] = [];
  const db = internalContext(engine).db;
  const exclusive = db.exclusive.bind(db);
  db.exclusive = <T>(work: (tx: Transaction) => Promise<T>) =>
    exclusive((tx) => {
      // Own properties over the prototype's methods: the store's writers still know the object.
      const { run, rows } = tx;
      tx.run = (sql, params) => {
        statements.push(sql);
        return run.call(tx, sql, params);
      };
      tx.rows = ((sql, params) => {
        statements.push(sql);
        return rows.call(tx, sql, params);
      }) as Transaction['rows'];
      return work(tx);
    });
  return statements;
}

const stagedIn = (statements: readonly string[]) => statements.some((s) => s.includes('incident_staging'));
const loadsStraight = (statements: readonly string[]) =>
  statements.some((s) => /^INSERT INTO incidents .* FROM \(SELECT .*read_(csv|json|parquet)\(/s.test(s));

/** The stored rows without their ids, which are random unless given. */
const all = 'SELECT * EXCLUDE (id) FROM incidents ORDER BY external_id';
const header = 'external_id,title,severity,created_at,resolved_at,tags';

let engine: Engine;
let reference: Engine;
beforeEach(async () => {
  engine = await openEngine({ path: ':memory:', now });
  reference = await openEngine({ path: ':memory:', now });
});
afterEach(async () => {
  await engine.close();
  await reference.close();
});

/** Ingests `text` from a file into `engine` and as a body through the JS path into `reference`; both outcomes and stored rows must agree. */
async function agreeWithJs(text: string, format: 'csv' | 'ndjson'): Promise<unknown> {
  const path = format === 'csv' ? csvFile(text) : ndjsonFile(text);
  const got = await outcome(() => engine.incidents.ingest({ path, format }));
  const expected = await outcome(() => ingestInJs(internalContext(reference), { data: text, format }));
  expect(got).toEqual(expected);
  expect(await internalContext(engine).db.all(all)).toEqual(await internalContext(reference).db.all(all));
  return got;
}

describe('The first load of a store', () => {
  it('goes from the CSV reader straight into incidents, and a later load is staged and merged', async () => {
    const statements = recordStatements(engine);
    const first = `${header}\nf-1,Disk full,LOW,2026-01-02T03:04:05Z,2026-01-02T04:00:00Z,a;b\nf-2,Slow,HIGH,2026-01-03,,\n`;
    expect(await agreeWithJs(first, 'csv')).toEqual({
      ok: { received: 2, inserted: 2, updated: 0, skipped: 0, errors: [] },
    });
    expect(loadsStraight(statements)).toBe(true);
    expect(stagedIn(statements)).toBe(false);
    statements.length = 0;
    const second = `${header}\nf-2,Slower,CRITICAL,2026-01-03,,\nf-3,New,LOW,2026-01-04,,\n`;
    expect(await agreeWithJs(second, 'csv')).toEqual({
      ok: { received: 2, inserted: 1, updated: 1, skipped: 0, errors: [] },
    });
    expect(loadsStraight(statements)).toBe(false);
    expect(stagedIn(statements)).toBe(true);
  });

  it('goes from the NDJSON reader straight into incidents', async () => {
    const statements = recordStatements(engine);
    const lines = [
      { external_id: 'n-1', title: 'T', severity: 'LOW', created_at: '2026-01-02', tags: ['x', 'y'] },
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000001',
        external_id: 'n-2',
        title: 'U',
        severity: 'HIGH',
        created_at: '2026-01-03T00:00:00Z',
      },
    ];
    const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
    expect(await agreeWithJs(text, 'ndjson')).toMatchObject({ ok: { inserted: 2 } });
    expect(loadsStraight(statements)).toBe(true);
    expect(stagedIn(statements)).toBe(false);
  });

  it('goes from the Parquet reader straight into incidents only while the store is empty', async () => {
    const statements = recordStatements(engine);
    const csv = csvFile(
      `${header}\np-1,T,LOW,2026-01-02T03:04:05Z,,a;b\np-2,U,HIGH,2026-01-03,2026-01-04,\n`,
    );
    const parquet = parquetDir('');
    // The same two rows, typed as Parquet carries them.
    await internalContext(engine).db.run(
      `COPY (SELECT * FROM (VALUES
         ('p-1', 'T', 'LOW', TIMESTAMP '2026-01-02 03:04:05', NULL::TIMESTAMP, ['a', 'b']),
         ('p-2', 'U', 'HIGH', TIMESTAMP '2026-01-03', TIMESTAMP '2026-01-04', NULL::VARCHAR[]))
         AS t(external_id, title, severity, created_at, resolved_at, tags)) TO '${parquet}' (FORMAT parquet)`,
    );
    const report = await engine.incidents.ingest({ path: parquet });
    expect(report).toEqual({ received: 2, inserted: 2, updated: 0, skipped: 0, errors: [] });
    expect(loadsStraight(statements)).toBe(true);
    expect(stagedIn(statements)).toBe(false);
    await ingestInJs(internalContext(reference), { path: csv, format: 'csv' });
    expect(await internalContext(engine).db.all(all)).toEqual(await internalContext(reference).db.all(all));
    statements.length = 0;
    expect(await engine.incidents.ingest({ path: parquet })).toMatchObject({ inserted: 0, updated: 2 });
    expect(loadsStraight(statements)).toBe(false);
    expect(stagedIn(statements)).toBe(true);
  });

  it('is staged and merged when an external id comes twice: the last row wins, as on the JS path', async () => {
    const statements = recordStatements(engine);
    const text = `${header}\nd-1,First,LOW,2026-01-02,,\nd-2,Other,LOW,2026-01-02,,\nd-1,Last,HIGH,2026-01-02,,\n`;
    expect(await agreeWithJs(text, 'csv')).toMatchObject({ ok: { received: 3, inserted: 2 } });
    // Loaded straight, found to need the merge, rolled back, then staged.
    expect(loadsStraight(statements)).toBe(true);
    expect(stagedIn(statements)).toBe(true);
    expect(await engine.incidents.list({ search: 'Last' })).toMatchObject({ count: 1 });
  });

  it('refuses an id given to two incidents as the JS path does, and writes nothing', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000002';
    const text = `id,external_id,title,severity,created_at\n${id},t-1,T,LOW,2026-01-02\n${id},t-2,U,LOW,2026-01-02\n`;
    expect(await agreeWithJs(text, 'csv')).toMatchObject({ code: 'CONFLICT' });
    expect(await engine.incidents.count()).toBe(0);
  });

  it('takes a row without external id as the JS path does (its id becomes its external id)', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000003';
    const text = `id,external_id,title,severity,created_at\n${id},,T,LOW,2026-01-02\n,e-2,U,LOW,2026-01-02\n`;
    expect(await agreeWithJs(text, 'csv')).toMatchObject({ ok: { inserted: 2 } });
    expect(await internalContext(engine).db.all('SELECT external_id FROM incidents ORDER BY 1')).toEqual([
      { external_id: id },
      { external_id: 'e-2' },
    ]);
  });

  it('leaves a file with an invalid row to the JS path at once, without staging it in SQL', async () => {
    const statements = recordStatements(engine);
    const text = `${header}\nv-1,T,LOW,2026-01-02,,\nv-2,T,SEVERE,2026-01-02,,\n`;
    expect(await agreeWithJs(text, 'csv')).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { errors: [{ row: 2, field: 'severity' }] },
    });
    expect(loadsStraight(statements)).toBe(true);
    // The JS path appends to the staging table; no INSERT … SELECT stages the file in SQL.
    expect(statements.some((s) => /INSERT INTO incident_staging\s+SELECT/.test(s))).toBe(false);
    expect(await engine.incidents.count()).toBe(0);
  });
});
