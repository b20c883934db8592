import { EngineError } from '../errors.ts';
import { resultToArrow } from './arrow/query-arrow.ts';
import { bind, type Database, type Row, type SqlParams } from './database.ts';
import { ListCache, listCacheKey } from './list-cache.ts';
import { coldListsOn, inColdLane } from './list-cold-lane.ts';
import { firstPageBySql, type ListParts } from './list-first-page.ts';
import { readNames } from './write-generations.ts';

/**
 * What the ordered indexes of one database hold at most, in units of one row id (8 bytes): an
 * index weighs its row ids plus {@link rowWeight} for each row it may keep, so some 64 MB in all:
 * twenty orderings or searches of 200,000 incidents. An index heavier than that is not kept (the
 * list reads by SQL instead).
 */
const indexCapacity = 8_000_000;
/** A kept row (about a kilobyte for an incident) in row-id units. */
const rowWeight = 100;

/**
 * Rows a block of an ordered index reads at once (ten pages of 20): one statement (a semi-join on
 * `rowid`) costs DuckDB about the same for 20 rows as for 1,000, as it scans the table's row ids
 * either way; more rows cost more in turning them into JS objects.
 */
const blockRows = 200;
/** Blocks of rows an index keeps, the least recently read going first. */
const blocksKept = 10;

/**
 * Below this offset a page of an unfiltered list that is not held is read by LIMIT and OFFSET
 * (measured on 200,000 incidents: an ordered page at offset 4,000 took 26 ms of CPU that way and
 * 51 ms as a block; at offset 100,000, 44 ms against 34 ms).
 */
const pagedOffsetLimit = 50_000;

/** The weight of an index of `rowids` row ids in its cache: the ids and the rows it may keep. */
function indexWeight(rowids: number): number {
  return rowids + rowWeight * Math.min(rowids, blockRows * blocksKept);
}

/** The rows of one filter, search and ordering: their `rowid`s in list order, and rows read so far. */
interface OrderedIndex {
  /** Row ids in the list's order; never changed once made. */
  readonly rowids: Float64Array;
  /** The names the index was read from, for {@link Database.generationOf}. */
  readonly tables: ReadonlySet<string>;
  /** The generation of {@link tables} when the index was read. */
  readonly generation: number;
  /**
   * Blocks of rows read or being read, by block number, oldest first: each its rows by row id (the
   * generation of the index), or `undefined` when a write landed while it was read.
   */
  readonly blocks: Map<number, Promise<Map<number, Row> | undefined>>;
}

const indexes = new WeakMap<
  Database,
  { cache: ListCache; pending: Map<string, Promise<OrderedIndex | undefined>> }
>();

function indexesOf(db: Database): {
  cache: ListCache;
  pending: Map<string, Promise<OrderedIndex | undefined>>;
} {
  let held = indexes.get(db);
  if (!held) {
    held = { cache: new ListCache(indexCapacity), pending: new Map() };
    indexes.set(db, held);
  }
  return held;
}

/** The cache key of the ordered index of `sql` read for the select list `select`. */
function indexKey(sql: string, params: SqlParams, select: string): string | undefined {
  return listCacheKey(`${sql}\u0000${select}`, params);
}

/** True when the ordered index under `key` is held (and current) or being read. */
function indexKnown(db: Database, key: string): boolean {
  const { cache, pending } = indexesOf(db);
  return pending.has(key) || cache.entry((tables) => db.generationOf(tables), key) !== undefined;
}

/**
 * The ordered index of `sql` (a statement yielding one DOUBLE column, the `rowid`s of one table in
 * list order) under `key`, from memory while no write has touched the tables it reads, else read
 * (one statement in the cold lane, see list-cold-lane.ts, the row ids as a typed array; concurrent
 * requests for it share the read) and remembered. `undefined` when the index is too large to keep:
 * the caller reads by SQL then.
 */
async function orderedIndex(
  db: Database,
  key: string,
  sql: string,
  params: SqlParams,
): Promise<OrderedIndex | undefined> {
  const { cache, pending } = indexesOf(db);
  const hit = cache.entry((tables) => db.generationOf(tables), key);
  if (hit !== undefined) {
    db.noteReads(hit.tables);
    return hit.value as OrderedIndex;
  }
  const tables = new Set(readNames(sql));
  const generation = db.generationOf(tables);
  const shared = pending.get(key);
  if (shared) {
    const index = await shared;
    if (index && index.generation === generation) {
      db.noteReads(tables);
      return index;
    }
  }
  const reading = inColdLane(db, () => readIndex(db, sql, params, tables, generation));
  pending.set(key, reading);
  try {
    const index = await reading;
    if (index) cache.set(generation, key, index, indexWeight(index.rowids.length), tables);
    return index;
  } finally {
    if (pending.get(key) === reading) pending.delete(key);
  }
}

async function readIndex(
  db: Database,
  sql: string,
  params: SqlParams,
  tables: ReadonlySet<string>,
  generation: number,
): Promise<OrderedIndex | undefined> {
  const { values, types } = bind(params);
  const rowids = await db.withReader(async (conn) => {
    const result = await conn.run(sql, values, types);
    const column = (await resultToArrow(result, result.rowCount)).getChildAt(0)?.toArray();
    return column instanceof Float64Array ? column : Float64Array.from(column ?? []);
  }, sql);
  if (indexWeight(rowids.length) > indexCapacity) return undefined;
  return { rowids, tables, generation, blocks: new Map() };
}

/** True while no write has touched the tables `index` was read from since it was read. */
function indexCurrent(db: Database, index: OrderedIndex): boolean {
  return db.generationOf(index.tables) === index.generation;
}

/**
 * Block `block` of `index` (rows `block * blockRows` onwards in list order), read with one
 * statement unless held; `undefined` when a write landed meanwhile (the block is then not kept).
 */
function readBlock(
  db: Database,
  index: OrderedIndex,
  block: number,
  list: { readonly from: string; readonly select: string },
): Promise<Map<number, Row> | undefined> {
  const held = index.blocks.get(block);
  if (held) return held;
  while (index.blocks.size >= blocksKept) index.blocks.delete(index.blocks.keys().next().value as number);
  const rowids = Array.from(index.rowids.subarray(block * blockRows, (block + 1) * blockRows), (r) =>
    BigInt(r),
  );
  const reading = (async () => {
    const range = rowidRange(rowids);
    const rows = await db.all(blockSql(list, range !== undefined), { rowids, ...range });
    // A write landed since the index was read: its row ids may name other rows now.
    if (!indexCurrent(db, index) || rows.length !== rowids.length) return undefined;
    const byRowid = new Map<number, Row>();
    for (const row of rows) {
      const rowid = Number(row['rowid#']);
      delete row['rowid#'];
      byRowid.set(rowid, row);
    }
    return byRowid;
  })();
  index.blocks.set(block, reading);
  const forget = () => {
    if (index.blocks.get(block) === reading) index.blocks.delete(block);
  };
  reading.then((rows) => (rows ? undefined : forget()), forget);
  return reading;
}

/**
 * The statement reading the rows of a block by `$rowids`, within `$lowest`..`$highest` when
 * {@link coldListsOn}: the range lets DuckDB skip the row groups outside it rather than read every
 * column of the whole table for the semi-join (43 ms of CPU for a block of 200 incidents of one
 * service and severity among 200,000 without it, 18 ms with it).
 */
function blockSql(list: { readonly from: string; readonly select: string }, ranged: boolean): string {
  const inRange = ranged ? 'rowid BETWEEN $lowest AND $highest AND ' : '';
  return `SELECT ${list.select}, rowid AS "rowid#" FROM ${list.from} WHERE ${inRange}rowid IN (SELECT unnest($rowids))`;
}

/**
 * The lowest and highest of `rowids` (as `$lowest`, `$highest`); `undefined` for none, or when
 * {@link coldListsOn} is false.
 */
function rowidRange(rowids: readonly bigint[]): { lowest: bigint; highest: bigint } | undefined {
  if (!coldListsOn() || rowids.length === 0) return undefined;
  let lowest = rowids[0] as bigint;
  let highest = lowest;
  for (const rowid of rowids) {
    if (rowid < lowest) lowest = rowid;
    if (rowid > highest) highest = rowid;
  }
  return { lowest, highest };
}

/** One page read through an ordered index: the count and the page's rows in list order. */
interface IndexedPage {
  readonly count: number;
  readonly rows: Row[];
}

/**
 * Reads one page of a single-table list through its ordered index: the count is the index's
 * length and the page a slice of it, however deep; its rows come from the blocks of rows the index
 * has read (one statement a block of {@link blockRows} rows, so neighbouring pages cost no SQL).
 * `fallbackSql` (the same page by LIMIT and OFFSET) answers instead when a write lands while rows
 * are read. A first page whose index is neither held nor being read is counted and read by SQL
 * instead (list-first-page.ts), without reading the index: most lists are only ever asked for their
 * first page, and a later page reads the index then. `undefined` when the list has no index (too
 * large to keep). Rows are handed out as copies.
 *
 * @throws EngineError NOT_FOUND for a page past the end, except page 1.
 */
export async function indexedPage(
  db: Database,
  list: ListParts,
  params: SqlParams,
  page: number,
  pageSize: number,
  fallbackSql: string,
): Promise<IndexedPage | undefined> {
  const sql = `SELECT rowid::DOUBLE AS r FROM ${list.from} ${list.where} ${list.orderBy}`;
  const key = indexKey(sql, params, list.select);
  if (key === undefined) return undefined;
  // A cold first page is counted and read by SQL; the row ids are read when a later page is asked.
  if (page === 1 && coldListsOn() && !indexKnown(db, key)) return firstPageBySql(db, list, params, pageSize);
  const index = await orderedIndex(db, key, sql, params);
  if (!index) return undefined;
  const count = index.rowids.length;
  const start = (page - 1) * pageSize;
  if (page > 1 && start >= count) throw new EngineError('NOT_FOUND', 'Invalid page.', { page, count });
  const end = Math.min(count, start + pageSize);
  if (end <= start) return { count, rows: [] };
  db.noteReads(readNames(`${list.select} ${list.from}`));
  const first = Math.floor(start / blockRows);
  const last = Math.floor((end - 1) / blockRows);
  const held = [];
  for (let block = first; block <= last; block++) held.push(index.blocks.has(block));
  // A page of a list with no condition, not in the first block nor held, is read alone by LIMIT
  // and OFFSET over the narrow order columns: cheaper than a block while the offset is small. Pages
  // of a filtered or searched list (where that read would filter the table again) and deep pages
  // read their block.
  if (!list.where && first > 0 && start < pagedOffsetLimit && !held.every(Boolean))
    return { count, rows: await db.all(fallbackSql, params) };
  const reads = [];
  for (let block = first; block <= last; block++) reads.push(readBlock(db, index, block, list));
  const blocks = await Promise.all(reads);
  const rows: Row[] = [];
  for (const rowid of index.rowids.subarray(start, end)) {
    const row = blocks.find((block) => block?.has(rowid))?.get(rowid);
    if (!row) return { count, rows: await db.all(fallbackSql, params) };
    rows.push(structuredClone(row));
  }
  return { count, rows };
}
