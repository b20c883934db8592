import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs `statements` on a private, throw-away in-memory DuckDB instance (memory capped at
 * `memoryLimit`, default 1 GB) and closes it: for file conversions (`COPY (SELECT … FROM
 * read_csv(…)) TO … (FORMAT parquet)`) that must not touch an engine's database.
 */
export async function runOnScratchDatabase(
  statements: readonly string[],
  options: { memoryLimit?: string } = {},
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: options.memoryLimit ?? '1GB' });
  try {
    const conn = await instance.connect();
    try {
      for (const statement of statements) await conn.run(statement);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
