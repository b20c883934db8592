import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { bind, type Database, type SqlParams } from '../database.ts';
import { TimeSlice } from '../time-slice.ts';
import { builderForType } from './builder-for-type.ts';
import type { ColumnBuildOptions } from './column-builders.ts';
import { arrowData } from './make-data.ts';

/** Options of {@link queryArrow}. */
export interface QueryArrowOptions extends ColumnBuildOptions {}

/**
 * Runs a read query on committed data and returns the result as one Arrow table (one record
 * batch, each column one contiguous `Data`), built from DuckDB's vectors: fixed-width columns are
 * copied with one `set` per 2,048-row chunk, validity masks become Arrow bitmaps, no JS object is
 * made per numeric or timestamp value. Timestamps are `Timestamp(MICROSECOND, 'UTC')`; see
 * {@link builderForType} for every type.
 *
 * The query is materialised by DuckDB first: a streamed result on the shared reader connection is
 * silently cut short when another query runs on that connection between two fetches.
 *
 * @throws EngineError UNSUPPORTED when a column has a type the bridge does not read.
 */
export async function queryArrow(
  db: Database,
  sql: string,
  params?: SqlParams,
  options: QueryArrowOptions = {},
): Promise<arrow.Table> {
  return db.withReader((conn) => queryArrowOn(conn, sql, params, options));
}

/** {@link queryArrow} on a given connection, e.g. the writer inside a transaction. */
async function queryArrowOn(
  conn: DuckDBConnection,
  sql: string,
  params?: SqlParams,
  options: QueryArrowOptions = {},
): Promise<arrow.Table> {
  const { values, types } = bind(params);
  const result = await conn.run(sql, values, types);
  return resultToArrow(result, result.rowCount, options);
}

/**
 * Drains a DuckDB result (materialised or streamed) into an Arrow table. `rowCountHint` sizes the
 * buffers up front; without it they grow by doubling. A streamed result must come from a
 * connection nothing else uses until it is drained (DuckDB ends it silently otherwise).
 */
export async function resultToArrow(
  result: DuckDBResult,
  rowCountHint = duckdb.vector_size(),
  options: ColumnBuildOptions = {},
): Promise<arrow.Table> {
  const names = result.deduplicatedColumnNames();
  const builders = result
    .columnTypes()
    .map((type, i) =>
      builderForType(type, names[i] ?? `column${i}`, rowCountHint, options.maxDictionarySize),
    );
  let rows = 0;
  const append = (chunk: duckdb.DataChunk) => {
    const count = duckdb.data_chunk_get_size(chunk);
    // A drained stream ends with an empty chunk that may have no vectors at all.
    if (count === 0) return 0;
    for (let i = 0; i < builders.length; i++) {
      builders[i]?.append(duckdb.data_chunk_get_vector(chunk, i), count, 0, count);
    }
    rows += count;
    return count;
  };
  const materialised = materialisedChunks(result);
  if (materialised) {
    // Let the event loop run between stretches of chunks: a server answering requests in this
    // process must not wait for a million-row read to be copied in one go.
    const slice = new TimeSlice();
    for (let i = 0; i < materialised.count; i++) {
      append(materialised.get(i));
      await slice.pause();
    }
  } else {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || append(chunk.chunk) === 0) break;
    }
  }
  const children = builders.map((b) => b.finish());
  const fields = children.map((data, i) => new arrow.Field(names[i] ?? `column${i}`, data.type, true));
  const schema = new arrow.Schema(fields);
  const struct = arrowData({ type: new arrow.Struct(fields), length: rows, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, struct as arrow.Data<arrow.Struct>)]);
}

/**
 * Synchronous access to the chunks of a materialised result. `fetchChunk()` costs a thread-pool
 * round trip per 2,048 rows, which on a busy 2-core machine took longer than building the Arrow
 * columns; a materialised result already holds every chunk, and DuckDB's C API reads them by index.
 * The raw handle is a protected field of `DuckDBResult` (the package version is pinned); when it
 * is missing, the caller falls back to `fetchChunk()`.
 */
function materialisedChunks(
  result: DuckDBResult,
): { count: number; get: (index: number) => duckdb.DataChunk } | undefined {
  if (result.isStreaming) return undefined;
  const raw = (result as unknown as { result?: duckdb.Result }).result;
  if (!raw) return undefined;
  return { count: duckdb.result_chunk_count(raw), get: (index) => duckdb.result_get_chunk(raw, index) };
}
