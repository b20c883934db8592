import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { type ListRequest, type ListSpec, listPage } from '../../src/store/list-query.ts';

/** The list path as it was before cold reads were made cheaper (list-cold-lane.ts). */
async function withColdListsOff<T>(work: () => Promise<T>): Promise<T> {
  const was = process.env['INSIGHTS_COLD_LISTS'];
  process.env['INSIGHTS_COLD_LISTS'] = 'off';
  try {
    return await work();
  } finally {
    if (was === undefined) delete process.env['INSIGHTS_COLD_LISTS'];
    else process.env['INSIGHTS_COLD_LISTS'] = was;
  }
}

const plain: ListSpec = {
  from: 'items',
  filters: { service: { column: 'service', op: 'in' }, sev: { column: 'sev', op: 'in' } },
  orderable: { rank: 'rank', title: 'title', created: 'created' },
  searchable: ['title', 'description'],
  defaultOrdering: '-created',
};
const late: ListSpec = { ...plain, singleTable: true };

/**
 * 240 rows: services a/b/c, severities by i % 4, ranks with ties and NULLs, and titles and
 * descriptions with mixed case, non-ASCII letters whose lower case differs (É, ß, İ, Σ), and the
 * characters LIKE treats specially (`%`, `_`, `\`), some descriptions NULL.
 */
const titles = [
  'Disk full on DB',
  'Échec du disque',
  'STRASSE straße',
  'İstanbul outage',
  'ΣΊΣΥΦΟΣ down',
  '100% CPU',
  'under_score job',
  'back\\slash path',
];

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:', { readers: 2 });
  await db.run(
    'CREATE TABLE items (id INTEGER, service VARCHAR, sev VARCHAR, rank INTEGER, created INTEGER, title VARCHAR, description VARCHAR)',
  );
  await db.run(
    `INSERT INTO items SELECT i, ['a','b','c'][i % 3 + 1], ['LOW','MEDIUM','HIGH','CRITICAL'][i % 4 + 1],
       CASE WHEN i % 11 = 0 THEN NULL ELSE i % 6 END, (i * 37) % 240,
       $titles[i % 8 + 1] || ' #' || i,
       CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN 'seen by DISK monitor' ELSE 'nothing ' || (i % 7) END
     FROM range(0, 240) t(i)`,
    { titles },
  );
});
afterAll(async () => {
  await db.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const searches = [
  'disk',
  'DISK',
  'échec',
  'ÉCHEC',
  'straße',
  'STRASSE',
  'İstanbul',
  'i̇stanbul',
  'σίσυφος',
  '100%',
  '%',
  '_',
  'r_s',
  '\\',
  'back\\s',
  'nothing 3',
  ' #12 ',
];
const requests: ListRequest[] = [
  {},
  { pageSize: 7 },
  { ordering: 'rank' },
  { ordering: '-title,rank', pageSize: 13 },
  { filters: { service: ['a', 'c'], sev: ['HIGH'] } },
  { filters: { service: ['b'] }, ordering: 'rank', pageSize: 5 },
  { filters: { service: ['z'] } },
  ...searches.map((search) => ({ search, pageSize: 9 })),
  { search: 'disk', filters: { sev: ['LOW', 'CRITICAL'] }, ordering: 'title' },
];

/** Every page of `request` through `spec`, with its count, until the last. */
async function allPages(spec: ListSpec, request: ListRequest): Promise<unknown[]> {
  const first = await listPage(db, spec, request);
  const pages: unknown[] = [first];
  const size = request.pageSize ?? 20;
  for (let page = 2; (page - 1) * size < first.count; page++)
    pages.push(await listPage(db, spec, { ...request, page }));
  return pages;
}

describe('cold lists answered more cheaply, with the same answers', () => {
  it.each(requests.map((request) => [JSON.stringify(request), request] as const))(
    'gives every page and count of %s as the list path before did',
    async (_name, request) => {
      const before = await withColdListsOff(() => allPages(plain, request));
      // Cold first pages by SQL, then later pages through the row ids, then all of them warm.
      expect(await allPages(late, request)).toEqual(before);
      expect(await allPages(late, request)).toEqual(before);
      expect(await allPages(plain, request)).toEqual(before);
    },
  );

  it('finds by search what ILIKE finds, by hand: case and non-ASCII folded, wildcards literal', async () => {
    const counts: Record<string, number> = {};
    for (const search of ['DISK', 'ÉCHEC', 'STRASSE', '100%', '%', '_', 'r_s', '\\'])
      counts[search] = (await listPage(db, late, { search })).count;
    // 240 rows, title i % 8: 30 of each title. 'disk': title 0 (30) plus 'seen by DISK monitor'
    // (i % 5 = 1: 48) on the rows with another title (42 of the 48 have i % 8 != 0): 72.
    // '%', '_', '\\': only the titles that hold them (30 each); 'r_s' only 'under_score' (30).
    expect(counts).toEqual({
      DISK: 72,
      ÉCHEC: 30,
      STRASSE: 30,
      '100%': 30,
      '%': 30,
      _: 30,
      r_s: 30,
      '\\': 30,
    });
  });

  it('answers a cold first page by SQL without reading its row ids, and reads them for page 2', async () => {
    const request = { filters: { service: ['a'] }, ordering: 'rank', pageSize: 4 };
    const all = vi.spyOn(db, 'all');
    const first = await listPage(db, late, request);
    expect(all).not.toHaveBeenCalled(); // count and page in one read transaction on one connection
    await listPage(db, late, { ...request, page: 2 });
    expect(all).toHaveBeenCalledTimes(1); // the block of rows of the index
    expect(all.mock.calls[0]?.[0]).toContain('rowid BETWEEN $lowest AND $highest');
    all.mockClear();
    expect(await listPage(db, late, request)).toEqual(first); // now through the index, no SQL
    expect(all).not.toHaveBeenCalled();
  });

  it('searches with one pass of contains over the lowered columns', async () => {
    const withReader = vi.spyOn(db, 'withReader');
    await listPage(db, late, { search: 'monitor q' });
    expect(withReader.mock.calls[0]?.[1]).toContain('contains(lower(title::VARCHAR), lower($search))');
    expect(withReader.mock.calls[0]?.[1]).not.toContain('ILIKE');
  });

  it('reads the pages afresh after writes, cold and through the row ids alike', async () => {
    const request = { filters: { sev: ['HIGH'] }, search: 'disk', pageSize: 3 };
    await allPages(late, request);
    await db.run('DELETE FROM items WHERE id % 8 = 2');
    await db.run("INSERT INTO items VALUES (1000, 'a', 'HIGH', 1, 500, 'new DISK', NULL)");
    const before = await withColdListsOff(() => allPages(plain, request));
    expect(await allPages(late, request)).toEqual(before);
    expect((before[0] as { results: { id: number }[] }).results[0]?.id).toBe(1000); // newest first
  });

  it('reads a cold first page once for every size up to 100, and again after a write', async () => {
    const request = { filters: { service: ['b'] }, ordering: 'title' };
    const sizes = [5, 30, 11];
    const expected = [];
    for (const pageSize of sizes)
      expected.push(await withColdListsOff(() => listPage(db, plain, { ...request, pageSize })));
    const reader = vi.spyOn(db, 'withReader');
    for (const [i, pageSize] of sizes.entries())
      expect(await listPage(db, late, { ...request, pageSize })).toEqual(expected[i]);
    expect(reader).toHaveBeenCalledTimes(1);
    // A new first row (title '!first' sorts before every title) is seen by every size after the write.
    await db.run("INSERT INTO items VALUES (1000, 'b', 'LOW', 1, 1, '!first', NULL)");
    try {
      for (const pageSize of sizes) {
        const page = await listPage(db, late, { ...request, pageSize });
        expect(page.count).toBe(expected[0]!.count + 1);
        expect(page.results).toHaveLength(pageSize);
        expect(page.results[0]).toMatchObject({ id: 1000 });
      }
      expect(reader).toHaveBeenCalledTimes(2);
    } finally {
      await db.run('DELETE FROM items WHERE id = 1000');
    }
  });
});
