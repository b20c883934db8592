import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { bind, type Database, type SqlParams } from '../database.ts';
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
  return queryArrowOn(db.reader, sql, params, options);
}

/** {@link queryArrow} on a given connection, e.g. the writer inside a transaction. */
export async function queryArrowOn(
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
 * buffers up front; without it they grow by doubling.
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
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    for (let i = 0; i < builders.length; i++) {
      builders[i]?.append(duckdb.data_chunk_get_vector(chunk.chunk, i), count, 0, count);
    }
    rows += count;
  }
  const children = builders.map((b) => b.finish());
  const fields = children.map((data, i) => new arrow.Field(names[i] ?? `column${i}`, data.type, true));
  const schema = new arrow.Schema(fields);
  const struct = arrowData({ type: new arrow.Struct(fields), length: rows, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, struct as arrow.Data<arrow.Struct>)]);
}
