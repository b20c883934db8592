import type { DuckDBConnection } from '@duckdb/node-api';
import { runKept, runKeptAndReadAll } from './kept-statements.ts';
import { bind, type Row, type SqlParams } from './sql-values.ts';
import type { WriteLog } from './write-generations.ts';

/**
 * What a write section of the database hands out: statements inside one transaction (or, for
 * `Database.exclusive`, on the writer connection while holding the write lock). Capability code
 * reads and writes through these methods only; bulk writes go through the store's own writers
 * (`appendArrow`, `StagingWriter`), which take this object. Bind user text as `$name` parameters,
 * never interpolate it.
 */
export interface Transaction {
  /** Runs one statement. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Runs one statement and returns the rows it yields as JS objects (also for `RETURNING`). */
  rows<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Like {@link Transaction.rows} but returns the first row or `undefined`. */
  one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs one query and returns its result column by column (JS values), for wide reads. */
  columns(sql: string, params?: SqlParams): Promise<ColumnsResult>;
}

/** A result read column by column: `columns[c][r]` is row r of column c. */
interface ColumnsResult {
  readonly columns: unknown[][];
  readonly rowCount: number;
}

/** The store's implementation: a DuckDB connection behind the {@link Transaction} methods. */
class ConnectionTransaction implements Transaction {
  constructor(
    readonly connection: DuckDBConnection,
    readonly log?: WriteLog,
  ) {}

  async run(sql: string, params?: SqlParams): Promise<void> {
    this.log?.statement(sql);
    const { values, types } = bind(params);
    if (values) await runKept(this.connection, sql, values, types);
    else await this.connection.run(sql);
  }

  async rows<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    this.log?.statement(sql);
    const { values, types } = bind(params);
    const reader = values
      ? await runKeptAndReadAll(this.connection, sql, values, types)
      : await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  async columns(sql: string, params?: SqlParams): Promise<ColumnsResult> {
    this.log?.statement(sql);
    const { values, types } = bind(params);
    const reader = await this.connection.runAndReadAll(sql, values, types);
    return { columns: reader.getColumnsJS() as unknown[][], rowCount: reader.currentRowCount };
  }
}

/**
 * Runs `work` between `BEGIN TRANSACTION` and `COMMIT` on `tx`, which must hold the write lock
 * outside a transaction (`Database.exclusive`); when `work` throws, rolls back and rethrows.
 */
export async function inTransaction<T>(tx: Transaction, work: () => Promise<T>): Promise<T> {
  await tx.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await tx.run('COMMIT');
    return result;
  } catch (error) {
    await tx.run('ROLLBACK');
    throw error;
  }
}

/** Wraps a connection (store only); `log`, when given, notes the tables each statement writes. */
export function transactionOn(connection: DuckDBConnection, log?: WriteLog): Transaction {
  return new ConnectionTransaction(connection, log);
}

/**
 * The connection behind a {@link Transaction}, for the store's DuckDB-specific writers (appenders,
 * direct vector writes). Only `store/` calls this.
 *
 * @throws Error for an object the store did not make.
 */
export function connectionOf(tx: Transaction): DuckDBConnection {
  if (tx instanceof ConnectionTransaction) {
    // What is written through the raw connection cannot be told apart: count it as every table.
    tx.log?.anything();
    return tx.connection;
  }
  throw new Error('not a transaction of this store');
}
