import {
  type DuckDBConnection,
  type DuckDBMaterializedResult,
  type DuckDBPreparedStatement,
  DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/** Prepared statements kept a connection at most; the least recently run is dropped first. */
const keptPerConnection = 64;

interface Kept {
  readonly statement: DuckDBPreparedStatement;
  running: boolean;
}

const keptByConnection = new WeakMap<DuckDBConnection, Map<string, Kept>>();

/**
 * Runs one statement with bound values on `connection`, keeping its prepared form for the next run
 * of the same text on that connection. DuckDB's own `run` with values parses, prepares and
 * executes, each a hop to a worker thread and back to the event loop; a kept statement is only
 * bound and executed. DuckDB binds a kept statement again by itself when the tables it names have
 * changed since it was prepared. A text of several statements, and a statement whose kept form is
 * running at that moment on the same connection, take DuckDB's usual path.
 */
export async function runKept(
  connection: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
  types: Record<string, DuckDBType> | undefined,
): Promise<DuckDBMaterializedResult> {
  if (sql.includes(';')) return connection.run(sql, values, types);
  let kept = keptByConnection.get(connection);
  if (!kept) {
    kept = new Map();
    keptByConnection.set(connection, kept);
  }
  let entry = kept.get(sql);
  if (entry?.running) return connection.run(sql, values, types);
  if (entry)
    kept.delete(sql); // set again below: the map's order is the order of last runs
  else {
    entry = { statement: await connection.prepare(sql), running: false };
    // A dropped statement is freed with the connection, or before when nothing holds it.
    if (kept.size >= keptPerConnection) kept.delete(kept.keys().next().value as string);
  }
  kept.set(sql, entry);
  entry.running = true;
  try {
    entry.statement.bind(values, types);
    return await entry.statement.run();
  } finally {
    entry.running = false;
  }
}

/** {@link runKept}, its result read whole. */
export async function runKeptAndReadAll(
  connection: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
  types: Record<string, DuckDBType> | undefined,
): Promise<DuckDBResultReader> {
  const reader = new DuckDBResultReader(await runKept(connection, sql, values, types));
  await reader.readAll();
  return reader;
}
