import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { stageThenMerge } from '../../src/ingest/staging.ts';
import { internalContext } from '../../src/internal.ts';
import { stagingTable } from '../../src/store/incident-staging.ts';
import type { Transaction } from '../../src/store/transaction.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2026-06-01T00:00:00Z') });
});
afterAll(() => engine.close());

const db = () => internalContext(engine).db;
/** The DuckDB transaction `tx` is in. */
const transactionOf = async (tx: Transaction) =>
  (await tx.one<{ id: bigint }>('SELECT txid_current() AS id'))?.id;
/** Whether the writer connection still holds the staging table. */
const stagingLeft = () =>
  db().exclusive(async (tx) => {
    const row = await tx.one<{ n: bigint }>(
      'SELECT count(*) AS n FROM duckdb_tables() WHERE temporary AND table_name = $name',
      { name: stagingTable },
    );
    return row?.n !== 0n;
  });

describe('Staging, then merging', () => {
  it('commits the staging in a transaction of its own before the merge reads it', async () => {
    const [staged, merged] = await stageThenMerge(
      db(),
      async (tx) => {
        await tx.run(`CREATE OR REPLACE TEMP TABLE ${stagingTable} AS SELECT 1 AS x`);
        return transactionOf(tx);
      },
      async (tx, stagedIn) => [stagedIn, await transactionOf(tx)] as const,
    );
    expect(staged).toBeDefined();
    expect(merged).toBeDefined();
    expect(merged).not.toBe(staged);
    expect(await stagingLeft()).toBe(false);
  });

  it('writes nothing and leaves no staging table when the merge fails', async () => {
    const base = { title: 'T', severity: 'LOW', created_at: '2026-01-02T00:00:00Z' } as const;
    await engine.incidents.ingest({ records: [{ ...base, external_id: 'stm-a' }] });
    const first = await db().one<{ id: string }>(
      "SELECT CAST(id AS VARCHAR) AS id FROM incidents WHERE external_id = 'stm-a'",
    );
    const before = await db().all('SELECT * FROM incidents ORDER BY external_id');
    // The id of stm-a given to another external id: the merge refuses it (CONFLICT).
    const conflict = engine.incidents.ingest({
      records: [
        { ...base, external_id: 'stm-b' },
        { ...base, external_id: 'stm-c', id: first!.id },
      ],
    });
    await expect(conflict).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await db().all('SELECT * FROM incidents ORDER BY external_id')).toEqual(before);
    expect(await stagingLeft()).toBe(false);
  });
});
