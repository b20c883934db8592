import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { Database } from '../../src/store/database.ts';
import { type ListSpec, listPage } from '../../src/store/list-query.ts';
import { connectionOf } from '../../src/store/transaction.ts';
import { writtenTable } from '../../src/store/write-generations.ts';

describe('writtenTable', () => {
  it('names the table a writing statement changes, and nothing for a read', () => {
    expect(writtenTable('UPDATE api_tokens SET last_used_at = $now WHERE id = $id::UUID')).toBe('api_tokens');
    expect(writtenTable('  -- note\n INSERT INTO main."Jobs" (id) VALUES (1)')).toBe('jobs');
    expect(writtenTable('insert or replace into kpi_rollups SELECT 1')).toBe('kpi_rollups');
    expect(writtenTable('DELETE FROM incidents WHERE id = 1 RETURNING id')).toBe('incidents');
    expect(writtenTable('MERGE INTO incidents USING staging ON true WHEN MATCHED THEN DELETE')).toBe(
      'incidents',
    );
    expect(writtenTable("COPY incidents FROM 'x.csv'")).toBe('incidents');
    expect(writtenTable('SELECT * FROM incidents')).toBeUndefined();
    expect(writtenTable('BEGIN TRANSACTION')).toBeUndefined();
    expect(writtenTable("COPY (SELECT 1) TO 'out.csv'")).toBeUndefined();
  });

  it('counts a statement whose target is not certain as a write of every table', () => {
    expect(writtenTable('CREATE TABLE t (a INT)')).toBe('*');
    expect(writtenTable('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x')).toBe('*');
    expect(writtenTable('UPDATE a SET v = 1; DELETE FROM b')).toBe('*');
    expect(writtenTable('CALL anything()')).toBe('*');
  });
});

/** Three rows by hand: ids 1..3 of service a, a, b. */
const spec: ListSpec = {
  from: 'items',
  filters: { service: { column: 'service', op: 'eq' } },
  orderable: { id: 'id' },
  searchable: [],
  defaultOrdering: 'id',
};

describe('list answers kept across writes to other tables', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:', { readers: 1 });
    await db.run('CREATE TABLE items (id INTEGER, service VARCHAR)');
    await db.run('CREATE TABLE tokens (id INTEGER, last_used_at TIMESTAMP)');
    await db.run("INSERT INTO items VALUES (1,'a'),(2,'a'),(3,'b')");
    await db.run('INSERT INTO tokens VALUES (1, NULL)');
  });
  afterEach(async () => {
    await db.close();
  });

  it('answers a repeat without SQL after a write to another table, and afresh after one to its own', async () => {
    const first = await listPage(db, spec, { filters: { service: 'a' } });
    expect(first.count).toBe(2);
    await db.run("UPDATE tokens SET last_used_at = TIMESTAMP '2026-01-01 00:00:00'");
    await db.transaction((tx) => tx.run('INSERT INTO tokens VALUES (2, NULL)'));
    const all = vi.spyOn(db, 'all');
    expect(await listPage(db, spec, { filters: { service: 'a' } })).toEqual(first);
    expect(all).not.toHaveBeenCalled();

    await db.run("INSERT INTO items VALUES (4,'a')");
    const after = await listPage(db, spec, { filters: { service: 'a' } });
    expect(after.count).toBe(3);
    expect(after.results.map((row) => Number(row['id']))).toEqual([1, 2, 4]);
  });

  it('reads afresh after a bulk write on the raw connection or a statement it cannot place', async () => {
    await listPage(db, spec, {});
    await db.exclusive(async (tx) => {
      await connectionOf(tx).run("INSERT INTO items VALUES (5,'c')");
    });
    expect((await listPage(db, spec, {})).count).toBe(4);
    await db.run("WITH x AS (SELECT 6 AS id, 'c' AS service) INSERT INTO items SELECT * FROM x");
    expect((await listPage(db, spec, {})).count).toBe(5);
  });

  it('still counts every write section in the database generation', async () => {
    const before = db.generation;
    await db.run('UPDATE tokens SET id = 1');
    await db.run('UPDATE items SET id = id');
    expect(db.generation).toBe(before + 2);
  });
});

describe('incident reads kept across authentication', () => {
  let engine: Engine;
  let now = new Date('2026-01-01T00:00:00Z');
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => now });
    await engine.incidents.ingest({
      records: [
        { external_id: 'A', title: 'Disk full', severity: 'LOW', created_at: '2025-12-01T00:00:00Z' },
      ],
    });
  });
  afterAll(async () => {
    await engine.close();
  });

  it("keeps the list page and the detail while a token's last use is written", async () => {
    await engine.auth.createUser({ username: 'reader', role: 'viewer' });
    const { key } = await engine.auth.createToken({ user: 'reader' });
    const page = await engine.incidents.list({});
    const id = page.results[0]?.id as string;
    const detail = await engine.incidents.get(id);
    const all = vi.spyOn(internalContext(engine).db, 'all');
    const generation = internalContext(engine).db.generation;
    now = new Date('2026-01-02T00:00:00Z'); // a day later: the token's last use is written again
    await engine.auth.authenticateToken(key);
    expect(internalContext(engine).db.generation).toBeGreaterThan(generation);
    all.mockClear();
    expect(await engine.incidents.list({})).toEqual(page);
    expect(await engine.incidents.get(id)).toEqual(detail);
    expect(all).not.toHaveBeenCalled();
  });

  it('reads an incident with one statement while no prediction is stored', async () => {
    await engine.incidents.ingest({
      records: [
        { external_id: 'B', title: 'Slow login', severity: 'HIGH', created_at: '2025-12-02T00:00:00Z' },
      ],
    });
    const page = await engine.incidents.list({ filters: { severity: 'HIGH' } });
    const id = page.results[0]?.id as string;
    const all = vi.spyOn(internalContext(engine).db, 'all');
    all.mockClear();
    const detail = await engine.incidents.get(id);
    expect(detail.title).toBe('Slow login');
    expect(detail.predictions).toBeNull();
    expect(all).toHaveBeenCalledTimes(1);
  });
});
