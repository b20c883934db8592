import type { Database } from './database.ts';

/**
 * Cold list reads (a filter, search or ordering not read since the last write to its table) that
 * run at once on one database. A database lends requests 4 reader connections; with at most 2 of
 * them scanning for cold lists, a request whose answer needs a short read (a page of a list already
 * indexed, a detail, a KPI) always finds a connection, and 2 scans already keep both cores of a
 * small server busy (each DuckDB statement uses every core it may).
 */
const coldReadsAtOnce = 2;

/**
 * True unless the environment sets `INSIGHTS_COLD_LISTS=off`, which restores the list path as it
 * was before cold reads were made cheaper (search by `ILIKE ... ESCAPE`, a cold first page through
 * a whole row-id list, no lane, no shared answers), so that a benchmark can measure both in one run.
 * Read on every call.
 */
export function coldListsOn(): boolean {
  return process.env['INSIGHTS_COLD_LISTS'] !== 'off';
}

/** Cold reads running and waiting on one database. */
interface Lane {
  running: number;
  readonly waiting: (() => void)[];
}

const lanes = new WeakMap<Database, Lane>();

/**
 * Runs `read` (a cold list read: a row-id list built, a first page counted and read by SQL) once
 * fewer than {@link coldReadsAtOnce} cold reads of `db` are running, first come first served. A read
 * waiting here holds no connection, so other reads go on meanwhile.
 */
export async function inColdLane<T>(db: Database, read: () => Promise<T>): Promise<T> {
  if (!coldListsOn()) return read();
  const lane = lanes.get(db) ?? { running: 0, waiting: [] };
  lanes.set(db, lane);
  if (lane.running >= coldReadsAtOnce) {
    await new Promise<void>((resolve) => lane.waiting.push(resolve));
  } else {
    lane.running++;
  }
  try {
    return await read();
  } finally {
    // The slot passes straight to the next waiting read, else frees.
    const next = lane.waiting.shift();
    if (next) next();
    else lane.running--;
  }
}
