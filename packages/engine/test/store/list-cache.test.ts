import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { ListCache, listCacheKey } from '../../src/store/list-cache.ts';
import { type ListSpec, listPage } from '../../src/store/list-query.ts';

/** Five rows written by hand: ids 1..5, service a,a,b,b,c and rank 50,40,30,20,10. */
const spec: ListSpec = {
  from: 'items',
  filters: { service: { column: 'service', op: 'eq' }, rank_min: { column: 'rank', op: 'gte' } },
  orderable: { rank: 'rank', service: 'service' },
  searchable: ['service'],
  defaultOrdering: '-rank',
};

let db: Database;

beforeEach(async () => {
  db = await Database.open(':memory:', { readers: 1 });
  await db.run('CREATE TABLE items (id INTEGER, service VARCHAR, rank INTEGER)');
  await db.run("INSERT INTO items VALUES (1,'a',50),(2,'a',40),(3,'b',30),(4,'b',20),(5,'c',10)");
});

afterEach(async () => {
  await db.close();
});

/** Counts the statements the list reads send to DuckDB. */
function countReads(): { readonly calls: () => number } {
  const all = vi.spyOn(db, 'all');
  return { calls: () => all.mock.calls.length };
}

const ids = (rows: readonly Record<string, unknown>[]): number[] => rows.map((row) => Number(row['id']));

describe('list answers cached against the write generation', () => {
  it('answers a repeat read after no write without any SQL', async () => {
    const first = await listPage(db, spec, { pageSize: 2 });
    const reads = countReads();
    const second = await listPage(db, spec, { pageSize: 2 });
    expect(reads.calls()).toBe(0);
    expect(second).toEqual(first);
    expect(ids(second.results)).toEqual([1, 2]);
  });

  it('sees a write made between two identical reads', async () => {
    const before = await listPage(db, spec, { pageSize: 2, filters: { service: 'a' } });
    expect(before.count).toBe(2);
    await db.run("INSERT INTO items VALUES (6,'a',60)");
    const after = await listPage(db, spec, { pageSize: 2, filters: { service: 'a' } });
    expect(after.count).toBe(3);
    expect(ids(after.results)).toEqual([6, 1]);
    await db.transaction((tx) => tx.run('DELETE FROM items WHERE id = 6'));
    const afterDelete = await listPage(db, spec, { pageSize: 2, filters: { service: 'a' } });
    expect(afterDelete.count).toBe(2);
    expect(ids(afterDelete.results)).toEqual([1, 2]);
  });

  it('never shares an entry between different filters, pages, orderings, searches or sizes', async () => {
    const answers = [
      await listPage(db, spec, {}),
      await listPage(db, spec, { filters: { service: 'a' } }),
      await listPage(db, spec, { filters: { service: 'b' } }),
      await listPage(db, spec, { filters: { rank_min: 30 } }),
      await listPage(db, spec, { filters: { rank_min: '30' } }),
      await listPage(db, spec, { pageSize: 2, page: 2 }),
      await listPage(db, spec, { pageSize: 2, page: 3 }),
      await listPage(db, spec, { ordering: 'rank' }),
      await listPage(db, spec, { search: 'c' }),
    ];
    // Expected by hand from the five rows above.
    expect(answers.map((page) => [page.count, ids(page.results)])).toEqual([
      [5, [1, 2, 3, 4, 5]],
      [2, [1, 2]],
      [2, [3, 4]],
      [3, [1, 2, 3]],
      [3, [1, 2, 3]],
      [5, [3, 4]],
      [5, [5]],
      [5, [5, 4, 3, 2, 1]],
      [1, [5]],
    ]);
  });

  it('keeps the cache whole when a caller changes the results it was given', async () => {
    const first = await listPage(db, spec, { pageSize: 1 });
    (first.results[0] as Record<string, unknown>)['service'] = 'changed';
    const second = await listPage(db, spec, { pageSize: 1 });
    expect(second.results[0]?.['service']).toBe('a');
  });

  it('still refuses a page past the end when the count comes from the cache', async () => {
    await listPage(db, spec, { pageSize: 5 });
    await expect(listPage(db, spec, { pageSize: 5, page: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('ListCache', () => {
  it('holds at most its capacity, dropping the least recently used entry', () => {
    const cache = new ListCache(2);
    cache.set(0, 'a', 1);
    cache.set(0, 'b', 2);
    expect(cache.get(0, 'a')).toBe(1); // a is now the most recent
    cache.set(0, 'c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get(0, 'b')).toBeUndefined();
    expect(cache.get(0, 'a')).toBe(1);
    expect(cache.get(0, 'c')).toBe(3);
  });

  it('bounds the rows it holds, weighing a page by its rows', () => {
    const cache = new ListCache(10);
    cache.set(0, 'page-a', 'six rows', 6);
    cache.set(0, 'count', 42);
    cache.set(0, 'page-b', 'four rows', 4); // 6 + 1 + 4 > 10: page-a, the oldest, goes
    expect(cache.get(0, 'page-a')).toBeUndefined();
    expect(cache.get(0, 'count')).toBe(42);
    expect(cache.get(0, 'page-b')).toBe('four rows');
    cache.set(0, 'huge', 'eleven rows', 11); // larger than the whole cache: not kept
    expect(cache.get(0, 'huge')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('drops everything when the generation moves and ignores answers of an older one', () => {
    const cache = new ListCache(10);
    cache.set(3, 'a', 1);
    expect(cache.get(4, 'a')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(3, 'a', 1); // read before the write of generation 4 landed
    expect(cache.get(4, 'a')).toBeUndefined();
  });

  it('keys parameters by type as well as by text', () => {
    const sql = 'SELECT 1';
    const keys = [
      listCacheKey(sql, { v: 1 }),
      listCacheKey(sql, { v: '1' }),
      listCacheKey(sql, { v: 1n }),
      listCacheKey(sql, { v: true }),
      listCacheKey(sql, { v: 'true' }),
      listCacheKey(sql, { v: null }),
      listCacheKey(sql, { v: 'null' }),
      listCacheKey(sql, { v: new Date(0) }),
      listCacheKey(sql, { v: new Date(0).toISOString() }),
      listCacheKey(sql, { v: ['a', 'b'] }),
      listCacheKey(sql, { v: ['a,b'] }),
      listCacheKey(sql, { w: 1 }),
      listCacheKey('SELECT 2', { v: 1 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(listCacheKey(sql, { a: 1, b: 2 })).toBe(listCacheKey(sql, { b: 2, a: 1 }));
  });
});
