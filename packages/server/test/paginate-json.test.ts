import type { Page } from '@incident-insights/engine';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { toJson } from '../src/json.ts';
import { paginated, paginatedJson } from '../src/lists/paginate.ts';

interface Item {
  readonly id: string;
  readonly n: bigint;
  readonly at: Date;
  readonly details: { readonly tags: readonly string[] };
}

/** Three items of 25 on page 2 of size 3: both links present. */
function pageOf(results: readonly Item[]): Page<Item> {
  return { count: 25, page: 2, pageSize: 3, results: results as Item[] };
}

const items = (): Item[] => [
  { id: 'a', n: 1n, at: new Date('2026-01-02T03:04:05Z'), details: { tags: ['x', 'é "q"'] } },
  { id: 'b', n: 2n, at: new Date(0), details: { tags: [] } },
];

/** The body and content type each helper answers for `page` at `path`. */
async function answers(page: Page<Item>, path: string, serialize: (item: Item) => unknown = toJson) {
  const before = new Hono().get('/list', (c) => c.json(paginated(c, page, serialize), 200));
  const after = new Hono().get('/list', (c) => paginatedJson(c, page, serialize));
  const get = async (app: Hono) => {
    const response = await app.request(`http://host/list${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  return { old: await get(before), new: await get(after) };
}

describe('paginatedJson', () => {
  it('answers exactly what c.json(paginated(…)) answers, for frozen and unfrozen results', async () => {
    const frozen = Object.freeze(items().map((item) => Object.freeze(item)));
    for (const results of [items(), frozen]) {
      const { old, new: fresh } = await answers(pageOf(results), '?page=2&page_size=3&q=a%20b');
      expect(fresh).toEqual(old);
      expect(JSON.parse(fresh.text)).toMatchObject({
        count: 25,
        next: 'http://host/list?page=3&page_size=3&q=a+b',
        previous: 'http://host/list?page_size=3&q=a+b',
        results: [{ id: 'a', n: 1, at: '2026-01-02T03:04:05.000Z' }, { id: 'b' }],
      });
    }
  });

  it('writes the JSON of frozen results once, and each request’s own links around it', async () => {
    const results = Object.freeze(items());
    const serialize = vi.fn(toJson<Item>);
    const first = await answers(pageOf(results), '?page=2&page_size=3', serialize);
    const calls = serialize.mock.calls.length;
    const second = await answers({ ...pageOf(results), page: 1 }, '?page_size=3', serialize);
    // The old helper serialises again; the new one does not.
    expect(serialize.mock.calls.length).toBe(calls + results.length);
    expect(JSON.parse(second.new.text)).toMatchObject({
      previous: null,
      next: 'http://host/list?page_size=3&page=2',
    });
    expect(JSON.parse(second.new.text).results).toEqual(JSON.parse(first.new.text).results);
    expect(second.new).toEqual(second.old);
  });

  it('serialises unfrozen results every time, so a changed array is never answered stale', async () => {
    const results = items();
    const before = await answers(pageOf(results), '');
    results.pop();
    const after = await answers(pageOf(results), '');
    expect(JSON.parse(after.new.text).results).toHaveLength(1);
    expect(after.new.text).not.toBe(before.new.text);
  });
});
