import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ConnectionLane } from './connection-lane.ts';
import { bind, type Row, type SqlParams } from './sql-values.ts';
import { inTransaction, type Transaction, transactionOn } from './transaction.ts';
import { everyTable, readNames, TableGenerations, WriteLog } from './write-generations.ts';

export { bind, type Row, type SqlParams, type SqlValue, typedList } from './sql-values.ts';
export type { Transaction } from './transaction.ts';

/** Reader connections a database opens unless told otherwise. */
const defaultReaders = 4;

/** The database whose background work the current async context is (see {@link Database.inBackground}). */
const backgroundWork = new AsyncLocalStorage<Database>();

/** Where the reads of the current async context note the names they read (see {@link Database.recordingReads}). */
const readRecorder = new AsyncLocalStorage<Set<string>>();

/**
 * The DuckDB shell: one database instance, a writer connection whose work is serialised by an
 * async lock (DuckDB allows one writer transaction per connection), and a small pool of reader
 * connections for queries, which see the last committed state (MVCC) and run side by side.
 * Background work (jobs) reads on a connection of its own, so a long batch never holds the
 * connections requests are answered with.
 */
export class Database {
  readonly path: string;
  private readonly instance: DuckDBInstance;
  /** The connection that writes; only touched while holding the lock. */
  private readonly writer: DuckDBConnection;
  private readonly readers: ConnectionLane;
  private readonly backgroundReaders: ConnectionLane;
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly tableGenerations = new TableGenerations();

  private constructor(
    path: string,
    instance: DuckDBInstance,
    writer: DuckDBConnection,
    readers: DuckDBConnection[],
    backgroundReader: DuckDBConnection,
  ) {
    this.path = path;
    this.instance = instance;
    this.writer = writer;
    this.readers = new ConnectionLane(readers);
    this.backgroundReaders = new ConnectionLane([backgroundReader]);
  }

  /**
   * Opens (or creates) the database at `path`; `':memory:'` for a private in-memory one.
   * Creates the parent folder of a file path.
   */
  static async open(
    path: string,
    options: { threads?: number; memoryLimit?: string; readers?: number } = {},
  ): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const config: Record<string, string> = {};
    if (options.threads) config['threads'] = String(options.threads);
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    const instance = await DuckDBInstance.create(path, config);
    const writer = await instance.connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (options.readers ?? defaultReaders); i++) readers.push(await instance.connect());
    return new Database(path, instance, writer, readers, await instance.connect());
  }

  /** Runs a read query on committed data and returns its rows as JS objects. */
  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const { values, types } = bind(params);
    const recorded = readRecorder.getStore();
    if (recorded) for (const name of readNames(sql)) recorded.add(name);
    return this.lend(async (conn) => {
      const reader = await conn.runAndReadAll(sql, values, types);
      return reader.getRowObjectsJS() as T[];
    });
  }

  /**
   * Lends a reader connection to `work` for its whole duration (a streamed result must be drained
   * before anything else runs on its connection), waiting when all are busy. The raw connection is
   * for the store's own readers (`queryArrow`); capability code reads with {@link all} and {@link one}.
   * `sql`, the one statement `work` runs, lets {@link recordingReads} note the names it reads
   * rather than every table.
   */
  async withReader<T>(work: (conn: DuckDBConnection) => Promise<T>, sql?: string): Promise<T> {
    // What a raw connection reads is not known unless its statement is given: then its names.
    const recorded = readRecorder.getStore();
    if (recorded && sql === undefined) recorded.add(everyTable);
    else if (recorded && sql !== undefined) for (const name of readNames(sql)) recorded.add(name);
    return this.lend(work);
  }

  /**
   * Runs `work` noting the names (identifiers) of every statement it reads with ({@link all},
   * {@link one}; {@link withReader} notes every table), so a cache can learn which tables an
   * answer came from and keep it while only other tables are written (see {@link generationOf}).
   */
  async recordingReads<T>(work: () => Promise<T>): Promise<{ value: T; names: Set<string> }> {
    const names = new Set<string>();
    const value = await readRecorder.run(names, work);
    // A recording around this one read all of it too.
    const outer = readRecorder.getStore();
    if (outer) for (const name of names) outer.add(name);
    return { value, names };
  }

  /** Notes `names` as read by the current recording, if any (an answer served from a cache). */
  noteReads(names: Iterable<string>): void {
    const recorded = readRecorder.getStore();
    if (recorded) for (const name of names) recorded.add(name);
  }

  private lend<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    const lane = backgroundWork.getStore() === this ? this.backgroundReaders : this.readers;
    return lane.lend(work);
  }

  /**
   * Runs `work` as background work: every read it makes (through any service) goes to the
   * background connection, one query at a time, and never waits for or holds a connection that
   * foreground reads use. Writes still share the writer and its lock.
   */
  inBackground<T>(work: () => Promise<T>): Promise<T> {
    return backgroundWork.run(this, work);
  }

  /** Like {@link all} but returns the first row or `undefined`. */
  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  /** Runs one writing statement on its own (auto-committed), serialised with other writes. */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.exclusive((tx) => tx.run(sql, params));
  }

  /** Runs one writing statement and returns the rows it yields (e.g. `RETURNING`). */
  async write<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.exclusive((tx) => tx.rows<T>(sql, params));
  }

  /**
   * Runs `work` inside one transaction on the writer connection: all of it commits, or, when it
   * throws, none of it does and the error propagates.
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.exclusive((tx) => inTransaction(tx, () => work(tx)));
  }

  /**
   * How many write sections ({@link exclusive}, so also {@link run}, {@link write} and
   * {@link transaction}) have finished, committed or not. Caches of derived data (e.g. KPI rollup
   * freshness) that saw generation g know nothing was written since while it is still g: DuckDB lets
   * one process write a database file, and in this process every write passes through here.
   */
  get generation(): number {
    return this.tableGenerations.of([everyTable]);
  }

  /**
   * The write generation of some tables (names as {@link recordingReads} gives them; `*` for every
   * table): it moves when a write section that touched one of them finishes. A section's statements
   * are read for their target table; one whose target is not certain (DDL, several statements, a
   * bulk writer on the raw connection) counts as a write of every table.
   */
  generationOf(tables: Iterable<string>): number {
    return this.tableGenerations.of(tables);
  }

  /** The table generations now, for {@link TableGenerations.of} later (see {@link generationOf}). */
  generationsNow(): TableGenerations {
    return this.tableGenerations.snapshot();
  }

  /**
   * Holds the write lock while `work` writes without a transaction of its own (each statement
   * commits by itself); most writes want {@link transaction}.
   */
  async exclusive<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const { value } = await this.section(async (tx) => ({ value: await work(tx), written: 1, unwritten: 0 }));
    return value;
  }

  /**
   * Like {@link exclusive}, for a writer that gathers the writes of several callers into one section
   * (`GroupCommit`, store only): the section counts as the sections those writes would have been
   * one by one, `written` of them writing the tables its statements wrote and `unwritten` of them
   * (writes refused, e.g. a conflict) none, so every generation moves as it would have.
   */
  async exclusiveGathered<T>(
    work: (tx: Transaction) => Promise<{ value: T; written: number; unwritten: number }>,
  ): Promise<T> {
    return (await this.section(work)).value;
  }

  private async section<T>(
    work: (tx: Transaction) => Promise<{ value: T; written: number; unwritten: number }>,
  ): Promise<{ value: T }> {
    this.assertOpen();
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log = new WriteLog();
    let counted = { written: 1, unwritten: 0 };
    try {
      await previous;
      const done = await work(transactionOn(this.writer, log));
      counted = done;
      return done;
    } finally {
      for (let i = 0; i < counted.written; i++) this.tableGenerations.finished(log);
      for (let i = 0; i < counted.unwritten; i++) this.tableGenerations.finished(new WriteLog());
      release();
    }
  }

  /** Waits for pending writes, checkpoints a file database and releases every handle. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock;
    this.closed = true;
    if (this.path !== ':memory:') await this.writer.run('CHECKPOINT');
    await this.readers.close();
    await this.backgroundReaders.close();
    this.writer.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the database is closed');
  }
}
