import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { deepFreeze } from '../../src/store/frozen.ts';
import { cachedAnswer, sharedAnswer } from '../../src/store/list-cache.ts';
import { type ListSpec, listPage } from '../../src/store/list-query.ts';

/** Three rows written by hand: ids 1..3, service a,b,a and rank 30,20,10. */
const spec: ListSpec = {
  from: 'items',
  filters: { service: { column: 'service', op: 'eq' } },
  orderable: { rank: 'rank' },
  searchable: [],
  defaultOrdering: '-rank',
};
const toItem = (row: Record<string, unknown>) => ({
  id: Number(row['id']),
  service: String(row['service']),
  tags: ['x'],
  seen: new Date(0),
});

let db: Database;

beforeEach(async () => {
  db = await Database.open(':memory:', { readers: 1 });
  await db.run('CREATE TABLE items (id INTEGER, service VARCHAR, rank INTEGER)');
  await db.run("INSERT INTO items VALUES (1,'a',30),(2,'b',20),(3,'a',10)");
});

afterEach(async () => {
  await db.close();
});

describe('deepFreeze', () => {
  it('freezes plain data all the way down', () => {
    const value = { a: [{ b: 1 }, 'c'], d: new Date(0), e: null, f: 2n };
    expect(deepFreeze(value)).toBe(true);
    expect([value, value.a, value.a[0], value.d].every(Object.isFrozen)).toBe(true);
    expect(() => {
      (value.a[0] as { b: number }).b = 2;
    }).toThrow(TypeError);
  });

  it('leaves anything else as it is, not half frozen', () => {
    for (const odd of [new Map(), new Uint8Array(2), new (class Item {})()]) {
      const value = { plain: { a: 1 }, odd };
      expect(deepFreeze(value)).toBe(false);
      expect(Object.isFrozen(value) || Object.isFrozen(value.plain)).toBe(false);
    }
  });
});

describe('shared answers', () => {
  it('hand every caller the same frozen answer until a write to the table it read', async () => {
    const compute = vi.fn(() => db.all('SELECT id FROM items ORDER BY id'));
    const first = await sharedAnswer(db, 'ids', compute);
    const second = await sharedAnswer(db, 'ids', compute);
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    expect(compute).toHaveBeenCalledTimes(1);
    await db.run('INSERT INTO items VALUES (4, $s, 5)', { s: 'c' });
    const third = await sharedAnswer(db, 'ids', compute);
    expect(third).not.toBe(first);
    expect(third.map((row) => row['id'])).toEqual([1, 2, 3, 4]);
  });

  it('are copied for a caller of the same key that did not ask to share', async () => {
    const compute = () => db.all('SELECT id FROM items ORDER BY id');
    const shared = await sharedAnswer(db, 'ids', compute);
    const own = await cachedAnswer(db, 'ids', compute);
    expect(own).not.toBe(shared);
    expect(own).toEqual(shared);
    own.pop();
    expect(await sharedAnswer(db, 'ids', compute)).toHaveLength(3);
  });

  it('are copies, as cached answers are, when they are not plain data', async () => {
    const compute = async () => ({ names: new Set(['a']) });
    const first = await sharedAnswer(db, 'set', compute);
    const second = await sharedAnswer(db, 'set', compute);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(Object.isFrozen(second)).toBe(false);
  });
});

describe('shared list pages', () => {
  it('give every reader of a page the same frozen records, made once, until the next write', async () => {
    const map = vi.fn(toItem);
    const first = await listPage(db, spec, { pageSize: 2 }, map, { shared: true });
    const second = await listPage(db, spec, { pageSize: 2 }, map, { shared: true });
    expect(second.results).toBe(first.results);
    expect(map).toHaveBeenCalledTimes(2); // two rows, mapped once
    expect(first.results).toEqual([
      { id: 1, service: 'a', tags: ['x'], seen: new Date(0) },
      { id: 2, service: 'b', tags: ['x'], seen: new Date(0) },
    ]);
    expect(() => first.results.push(toItem({ id: 9, service: 'z' }))).toThrow(TypeError);
    expect(() => {
      first.results[0]!.tags.push('y');
    }).toThrow(TypeError);
    await db.run("UPDATE items SET service = 'c' WHERE id = 1");
    const after = await listPage(db, spec, { pageSize: 2 }, map, { shared: true });
    expect(after.results[0]).toMatchObject({ id: 1, service: 'c' });
  });

  it('are copies for a list that does not ask to share, so a caller may change its own', async () => {
    const first = await listPage(db, spec, { pageSize: 2 }, toItem);
    first.results[0]!.tags.push('mine');
    const second = await listPage(db, spec, { pageSize: 2 }, toItem);
    expect(second.results[0]!.tags).toEqual(['x']);
  });
});
