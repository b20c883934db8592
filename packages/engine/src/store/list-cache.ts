import type { Database, SqlParams, SqlValue } from './database.ts';
import { deepFreeze } from './frozen.ts';
import { coldListsOn } from './list-cold-lane.ts';
import { everyTable } from './write-generations.ts';

/**
 * What a database's list cache holds at most, in rows: a page weighs its rows, a count or a single
 * record weighs 1. At about a kilobyte a row (a wide incident) that is some 20 MB; past the bound
 * the least recently used answers go.
 */
const listCacheRows = 20_000;

/** One remembered answer: its value and weight, the tables it was read from and their generation then. */
interface CacheEntry {
  readonly value: unknown;
  readonly weight: number;
  readonly generation: number;
  readonly tables: ReadonlySet<string>;
}

/**
 * Answers of list queries (counts, pages, records) remembered for one database. Each answer keeps
 * the names of the tables it was read from and their write generation when the read began
 * ({@link Database.generationOf}); it is served only while that generation is unchanged, so an
 * answer is only ever served to a read that started after the same writes to those tables as the
 * read that made it, and a write to another table (a token's `last_used_at`, a job record) leaves
 * it in place. The entries are kept in least-recently-used order, their total weight bounded by
 * `capacity`.
 */
export class ListCache {
  private readonly entries = new Map<string, CacheEntry>();
  private weight = 0;

  constructor(private readonly capacity: number = listCacheRows) {}

  /** How many answers are held now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The answer stored under `key` when it was made at `generation` (a number, or the generation
   * now of the tables the answer was read from), else `undefined` (a stale answer is dropped);
   * marks it recently used.
   */
  get(generation: number | ((tables: ReadonlySet<string>) => number), key: string): unknown {
    return this.entry(generation, key)?.value;
  }

  /** Like {@link get} but the whole entry, with the tables the answer was read from. */
  entry(generation: number | ((tables: ReadonlySet<string>) => number), key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = typeof generation === 'number' ? generation : generation(entry.tables);
    if (entry.generation !== now) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Stores `value` (of `weight`, at least 1) under `key`, read from `tables` at `generation`: the
   * generation those tables had before the query ran, so an answer computed while a write was
   * landing goes with the older generation and is never served after it.
   */
  set(
    generation: number,
    key: string,
    value: unknown,
    weight = 1,
    tables: ReadonlySet<string> = everyTables,
  ): void {
    const entryWeight = Math.max(1, weight);
    if (entryWeight > this.capacity) return;
    this.remove(key);
    this.entries.set(key, { value, weight: entryWeight, generation, tables });
    this.weight += entryWeight;
    while (this.weight > this.capacity) this.remove(this.entries.keys().next().value as string);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}

const everyTables: ReadonlySet<string> = new Set([everyTable]);

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
 * the last write to the tables it was read from; otherwise computed and remembered, with the names
 * of the tables its statements read (see {@link Database.recordingReads}). Answers are kept and
 * handed out as structured clones (plain data: objects, arrays, `Date`s), so a caller that changes
 * what it was given never changes the cache. `key` `undefined` computes without caching.
 */
export function cachedAnswer<T>(
  db: Database,
  key: string | undefined,
  compute: () => Promise<T>,
): Promise<T> {
  return remembered(db, key, compute, false);
}

/**
 * {@link cachedAnswer} without the copies: the answer is frozen ({@link deepFreeze}) and every
 * caller gets the same object until a write to its tables, the first caller too. For answers no
 * caller changes; an answer that is not plain data is copied as by `cachedAnswer`, and so is a
 * shared answer that a `cachedAnswer` caller of the same key is given.
 */
export function sharedAnswer<T>(
  db: Database,
  key: string | undefined,
  compute: () => Promise<T>,
): Promise<T> {
  return remembered(db, key, compute, true);
}

async function remembered<T>(
  db: Database,
  key: string | undefined,
  compute: () => Promise<T>,
  share: boolean,
): Promise<T> {
  if (key === undefined) return compute();
  const cache = listCacheOf(db);
  const hit = cache.entry((tables) => db.generationOf(tables), key);
  if (hit !== undefined) {
    db.noteReads(hit.tables);
    return handOut(hit.value, share);
  }
  const everything = db.generationOf(everyTables);
  const joining = coldListsOn() ? computing.get(db)?.get(key) : undefined;
  if (joining !== undefined && joining.generation === everything) {
    // The same question is being answered after the same writes: share that answer.
    const { value, names } = await joining.answer;
    db.noteReads(names);
    return handOut(value, share);
  }
  const before = db.generationsNow();
  const computed = db.recordingReads(compute).then(({ value, names }) => {
    // Kept frozen only when shared; any other answer is kept as a copy, and a copy is never frozen.
    const kept = share && deepFreeze(value) ? value : structuredClone(value);
    cache.set(before.of(names), key, kept, rowsOf(value), names);
    return { value, kept, names };
  });
  // Callers that join are handed copies of the kept answer, which no one changes (or the answer
  // itself, frozen, when they and the first caller both share).
  const answer = computed.then(({ kept, names }) => ({ value: kept, names }));
  answer.catch(() => undefined); // a failure reaches every caller through `computed` or `answer`
  const inFlight = computing.get(db) ?? new Map<string, InFlight>();
  computing.set(db, inFlight);
  const mine: InFlight = { generation: everything, answer };
  inFlight.set(key, mine);
  try {
    return (await computed).value;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

/** A kept answer as a caller gets it: itself when frozen and the caller shares, else a copy. */
function handOut<T>(kept: unknown, share: boolean): T {
  return (share && Object.isFrozen(kept) ? kept : structuredClone(kept)) as T;
}

/** An answer being computed: the generation of the whole database when it began, and its promise. */
interface InFlight {
  readonly generation: number;
  readonly answer: Promise<{ value: unknown; names: Set<string> }>;
}

/**
 * The answers being computed now, by database and key: a request that finds its key here, with no
 * write to the database since that computation began, waits for it rather than reading the same
 * rows again (many callers asking for one cold list at once cost one read).
 */
const computing = new WeakMap<Database, Map<string, InFlight>>();

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
