import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { type ListSpec, listPage } from '../../src/store/list-query.ts';

/** 50 rows by hand: id i, service a/b alternating (odd ids a), note 'disk i' for multiples of 5. */
const spec: ListSpec = {
  from: 'items',
  singleTable: true,
  filters: { service: { column: 'service', op: 'eq' } },
  orderable: { id: 'id' },
  searchable: ['note'],
  defaultOrdering: '-id',
};
const plain: ListSpec = { ...spec, singleTable: false };

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:', { readers: 1 });
  await db.run('CREATE TABLE items (id INTEGER, service VARCHAR, note VARCHAR)');
  await db.run(`INSERT INTO items SELECT i, CASE WHEN i % 2 = 1 THEN 'a' ELSE 'b' END,
    CASE WHEN i % 5 = 0 THEN 'Disk ' || i ELSE 'other' END FROM range(1, 51) t(i)`);
});
afterEach(async () => {
  await db.close();
});

const ids = (rows: readonly Record<string, unknown>[]): number[] => rows.map((row) => Number(row['id']));

describe('pages read through the ordered row ids of their list', () => {
  it('reads the rows of a list by row id in blocks, so a later page costs no SQL', async () => {
    const all = vi.spyOn(db, 'all');
    // Page 2: a cold first page is answered by SQL alone (list-first-page.test.ts).
    expect((await listPage(db, spec, { pageSize: 5, page: 2 })).count).toBe(50);
    expect(all).toHaveBeenCalledTimes(1);
    expect(all.mock.calls[0]?.[0]).toContain('rowid IN (SELECT unnest($rowids))');
    expect(all.mock.calls[0]?.[0]).not.toContain('OFFSET');
    all.mockClear();
    const deep = await listPage(db, spec, { pageSize: 5, page: 9 });
    // Newest (highest id) first: page 9 of 5 holds ids 10..6.
    expect(ids(deep.results)).toEqual([10, 9, 8, 7, 6]);
    expect(deep.count).toBe(50);
    expect(all).not.toHaveBeenCalled();
  });

  it('counts and pages a search once for all its pages, as the plain read does', async () => {
    // Page 2 first: a cold first page is answered by SQL alone (list-first-page.test.ts).
    const second = await listPage(db, spec, { search: 'DISK', pageSize: 4, page: 2 });
    const all = vi.spyOn(db, 'all');
    const first = await listPage(db, spec, { search: 'DISK', pageSize: 4 });
    const third = await listPage(db, spec, { search: 'DISK', pageSize: 4, page: 3 });
    expect(all).not.toHaveBeenCalled(); // no count, no scan, no read: page 2 read their rows
    all.mockRestore();
    // By hand: notes 'Disk 50', 'Disk 45', ..., 'Disk 5': ten rows, highest id first.
    expect([first, second, third].map((page) => [page.count, ids(page.results)])).toEqual([
      [10, [50, 45, 40, 35]],
      [10, [30, 25, 20, 15]],
      [10, [10, 5]],
    ]);
    for (const page of [1, 2, 3]) {
      expect(await listPage(db, spec, { search: 'disk', pageSize: 4, page })).toEqual(
        await listPage(db, plain, { search: 'disk', pageSize: 4, page }),
      );
    }
    await expect(listPage(db, spec, { search: 'disk', pageSize: 4, page: 4 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads the index afresh after a write moves row ids (delete, then insert)', async () => {
    await listPage(db, spec, { filters: { service: 'a' }, pageSize: 3, page: 2 });
    await db.run('DELETE FROM items WHERE id <= 10');
    await db.run("INSERT INTO items VALUES (100, 'a', 'new')");
    const after = await listPage(db, spec, { filters: { service: 'a' }, pageSize: 3, page: 2 });
    // Odd ids 11..49 and 100, highest first: page 2 of 3 holds 45, 43, 41.
    expect(after.count).toBe(21);
    expect(ids(after.results)).toEqual([45, 43, 41]);
  });

  it('answers a page by LIMIT and OFFSET when a write lands while its rows are read', async () => {
    await listPage(db, spec, { pageSize: 5, ordering: 'id' }); // another index: rows of -id not read yet
    const read = db.all.bind(db);
    let wrote = false;
    vi.spyOn(db, 'all').mockImplementation(async (sql, params) => {
      if (!wrote && sql.includes('unnest($rowids)')) {
        wrote = true;
        await db.run('UPDATE items SET id = id + 1000 WHERE id = 45');
      }
      return read(sql, params);
    });
    const page = await listPage(db, spec, { pageSize: 5, page: 2 });
    expect(wrote).toBe(true);
    // After the write, highest first: 1045, 50, 49, 48, 47 | 46, 44, 43, 42, 41 (by hand).
    expect(ids(page.results)).toEqual([46, 44, 43, 42, 41]);
  });
});
