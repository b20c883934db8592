import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { type ListRequest, type ListSpec, listPage } from '../../src/store/list-query.ts';

const plain: ListSpec = {
  from: 'items',
  select: 'id, service, rank, note, upper(note) AS shout',
  filters: { service: { column: 'service', op: 'in' }, rank_min: { column: 'rank', op: 'gte' } },
  orderable: { rank: 'rank', service: 'service', note: 'note' },
  searchable: ['note'],
  defaultOrdering: '-rank',
  where: 'rank IS DISTINCT FROM 0',
};
const late: ListSpec = { ...plain, singleTable: true };

describe('late-materialised pages', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:', { readers: 1 });
    await db.run('CREATE TABLE items (id INTEGER, service VARCHAR, rank INTEGER, note VARCHAR)');
    // 60 rows with ties on every order field, NULL ranks and notes, and excluded rank-0 rows.
    await db.run(`INSERT INTO items SELECT i, ['a','b','c'][i % 3 + 1], CASE WHEN i % 7 = 0 THEN NULL ELSE i % 5 END,
      CASE WHEN i % 4 = 0 THEN NULL ELSE 'note ' || (i % 6) END FROM range(1, 61) t(i)`);
  });
  afterAll(async () => {
    await db.close();
  });

  const requests: ListRequest[] = [
    {},
    { pageSize: 7, page: 3 },
    { pageSize: 7, page: 7 },
    { ordering: 'rank' },
    { ordering: 'service,-note', pageSize: 9, page: 2 },
    { ordering: '-note', pageSize: 100 },
    { filters: { service: ['a', 'c'] }, ordering: 'rank', pageSize: 5, page: 2 },
    { filters: { rank_min: 2 }, search: 'NOTE 3' },
  ];

  it.each(requests.map((request) => [JSON.stringify(request), request] as const))(
    'reads the same rows in the same order as a plain read for %s',
    async (_name, request) => {
      const expected = await listPage(db, plain, request);
      const actual = await listPage(db, late, request);
      expect(actual.count).toBe(expected.count);
      expect(actual.results).toEqual(expected.results);
      expect(actual.results.length).toBeGreaterThan(0);
    },
  );

  it('breaks ties by the UUID id as the plain read does when the select shows the id as text', async () => {
    await db.run(
      `CREATE TABLE uuids AS SELECT md5(i::VARCHAR)::UUID AS id, i % 2 AS rank FROM range(50) t(i)`,
    );
    const byText: ListSpec = {
      from: 'uuids',
      select: 'CAST(id AS VARCHAR) AS id, rank',
      filters: {},
      orderable: { rank: 'rank' },
      searchable: [],
      defaultOrdering: 'rank',
    };
    for (const page of [1, 2, 3, 4, 5]) {
      const expected = await listPage(db, byText, { page, pageSize: 10 });
      const actual = await listPage(db, { ...byText, singleTable: true }, { page, pageSize: 10 });
      expect(actual.results).toEqual(expected.results);
    }
  });
});
