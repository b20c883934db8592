import type { Database, SqlParams, SqlValue } from './database.ts';

/**
 * What a database's list cache holds at most, in rows: a page weighs its rows, a count or a single
 * record weighs 1. At about a kilobyte a row (a wide incident) that is some 20 MB; past the bound
 * the least recently used answers go.
 */
const listCacheRows = 20_000;

/**
 * Answers of list queries (counts, pages, records) remembered for one database while its write
 * generation ({@link Database.generation}) stays the same. Every write through the database moves
 * the generation, and the first access that sees a new generation drops every entry, so an answer
 * is only ever served to a read that started after the same writes as the read that made it. The
 * entries are kept in least-recently-used order, their total weight bounded by `capacity`.
 */
export class ListCache {
  private readonly entries = new Map<string, { readonly value: unknown; readonly weight: number }>();
  private generation = -1;
  private weight = 0;

  constructor(private readonly capacity: number = listCacheRows) {}

  /** How many answers are held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The answer stored under `key` at `generation`, or `undefined`; marks it recently used. */
  get(generation: number, key: string): unknown {
    this.moveTo(generation);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` (of `weight`, at least 1) under `key` for `generation`: the generation read
   * before the query ran, so an answer computed while a write was landing goes with that generation.
   */
  set(generation: number, key: string, value: unknown, weight = 1): void {
    this.moveTo(generation);
    if (generation !== this.generation) return;
    const entryWeight = Math.max(1, weight);
    if (entryWeight > this.capacity) return;
    this.remove(key);
    this.entries.set(key, { value, weight: entryWeight });
    this.weight += entryWeight;
    while (this.weight > this.capacity) this.remove(this.entries.keys().next().value as string);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  private moveTo(generation: number): void {
    if (generation > this.generation) {
      this.entries.clear();
      this.weight = 0;
      this.generation = generation;
    }
  }
}

const caches = new WeakMap<Database, ListCache>();

/** The list cache of `db`, made on first use. */
function listCacheOf(db: Database): ListCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ListCache();
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The answer of `compute`, from the list cache of `db` when an answer under `key` was made since
 * the last write; otherwise computed and remembered. Answers are kept and handed out as structured
 * clones (plain data: objects, arrays, `Date`s), so a caller that changes what it was given never
 * changes the cache. `key` `undefined` computes without caching.
 */
export async function cachedAnswer<T>(
  db: Database,
  key: string | undefined,
  compute: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return compute();
  const cache = listCacheOf(db);
  const generation = db.generation;
  const hit = cache.get(generation, key);
  if (hit !== undefined) return structuredClone(hit) as T;
  const answer = await compute();
  cache.set(generation, key, structuredClone(answer), rowsOf(answer));
  return answer;
}

/** The weight of an answer: the rows of a row list or of a page's `results`, else 1. */
function rowsOf(answer: unknown): number {
  if (Array.isArray(answer)) return answer.length;
  const results = (answer as { results?: unknown } | null)?.results;
  return Array.isArray(results) ? results.length : 1;
}

/**
 * The cache key of a statement and its parameters: the SQL text and every parameter with its
 * type, so `1` and `'1'`, or a `Date` and its ISO text, never share an entry. `undefined` when a
 * parameter is of a kind this cannot spell exactly (a DuckDB value object): that query is not cached.
 */
export function listCacheKey(sql: string, params: SqlParams): string | undefined {
  const parts: string[] = [sql];
  for (const name of Object.keys(params).sort()) {
    const spelled = spell(params[name]);
    if (spelled === undefined) return undefined;
    parts.push(`${name}=${spelled}`);
  }
  return parts.join('\u0000');
}

/**
 * The cache key of a list request of `resource`: page, size, ordering, search and every filter
 * value with its type. `undefined` when a filter value cannot be spelled exactly.
 */
export function listRequestKey(
  resource: string,
  request: {
    readonly page?: number | undefined;
    readonly pageSize?: number | undefined;
    readonly ordering?: string | undefined;
    readonly search?: string | undefined;
    readonly filters?: object | undefined;
  },
): string | undefined {
  const params: Record<string, SqlValue> = {
    page: request.page,
    pageSize: request.pageSize,
    ordering: request.ordering,
    search: request.search,
  };
  for (const [name, value] of Object.entries(request.filters ?? {}))
    params[`filter.${name}`] = value as SqlValue;
  return listCacheKey(`list:${resource}`, params);
}

function spell(value: SqlValue): string | undefined {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'number':
      return `d${Object.is(value, -0) ? '-0' : String(value)}`;
    case 'bigint':
      return `b${value}`;
    case 'boolean':
      return value ? 't' : 'f';
  }
  if (value instanceof Date) return `D${value.getTime()}`;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value as readonly SqlValue[]) {
      const spelled = spell(item);
      if (spelled === undefined) return undefined;
      items.push(spelled);
    }
    return `[${items.join(',')}]`;
  }
  return undefined;
}
