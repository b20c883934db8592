import { type DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type * as arrow from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import { connectionOf, type Transaction } from '../transaction.ts';
import { type ColumnWriter, writeNulls, writerFor } from './column-writers.ts';

/**
 * Appends an Arrow table to a DuckDB table through DuckDB's appender, 2,048 rows (one data chunk)
 * at a time: fixed-width columns are one memory copy per chunk, strings are handed over as bytes,
 * nulls travel as validity bitmaps. Columns match by name; a table column the Arrow table lacks is
 * NULL (DuckDB enforces NOT NULL; the appender does not apply defaults). Run it inside
 * `db.transaction(tx => appendArrow(tx, ...))` so a failure writes nothing.
 *
 * Conversions: each DuckDB column takes the Arrow type {@link queryArrow} produces for it, plus
 * any Arrow number for a numeric column, timestamps of any unit (and Date64) for TIMESTAMP,
 * `Dictionary<Utf8>` for VARCHAR and UUID text for UUID.
 *
 * @returns the number of rows appended.
 * @throws EngineError VALIDATION_ERROR when the Arrow table has a column the table does not, or a
 *   value does not fit (a malformed UUID); UNSUPPORTED for a type pair the bridge does not convert.
 */
export async function appendArrow(tx: Transaction, table: string, data: arrow.Table): Promise<number> {
  const conn = connectionOf(tx);
  const columns = await tableColumns(conn, table);
  const known = new Set(columns);
  const extra = data.schema.fields.map((f) => f.name).filter((name) => !known.has(name));
  if (extra.length > 0) {
    throw new EngineError('VALIDATION_ERROR', `table ${table} has no column ${extra.join(', ')}`, {
      table,
      columns: extra,
    });
  }
  const appender = await conn.createAppender(table);
  let closed = false;
  try {
    const types = columns.map((_, i) => appender.columnType(i));
    const fieldIndex = new Map(data.schema.fields.map((f, i) => [f.name, i]));
    const writers: (ColumnWriter | null)[] = columns.map((name, i) => {
      const at = fieldIndex.get(name);
      const field = at === undefined ? undefined : data.schema.fields[at];
      return field ? writerFor(types[i] as (typeof types)[number], field.type, name) : null;
    });
    const chunkRows = duckdb.vector_size();
    for (const batch of data.batches) {
      const children = columns.map((name) => {
        const at = fieldIndex.get(name);
        return at === undefined ? undefined : batch.data.children[at];
      });
      for (let start = 0; start < batch.numRows; start += chunkRows) {
        const count = Math.min(chunkRows, batch.numRows - start);
        const chunk = DuckDBDataChunk.create(types, count);
        for (let i = 0; i < columns.length; i++) {
          const vector = duckdb.data_chunk_get_vector(chunk.chunk, i);
          const writer = writers[i];
          const child = children[i];
          if (writer && child) writer(vector, child, start, count);
          else writeNulls(vector, count);
        }
        appender.appendDataChunk(chunk);
      }
    }
    closed = true;
    appender.closeSync();
    return data.numRows;
  } finally {
    if (!closed) {
      try {
        appender.closeSync();
      } catch {
        // The append already failed; its error is the one worth reporting.
      }
    }
  }
}

/** Column names of `table` in table order (a temporary table wins over a persistent one). */
async function tableColumns(conn: DuckDBConnection, table: string): Promise<string[]> {
  const reader = await conn.runAndReadAll(
    `SELECT database_name, column_name FROM duckdb_columns()
     WHERE table_name = $table
       AND ((database_name = current_database() AND schema_name = current_schema()) OR database_name = 'temp')
     ORDER BY database_name = 'temp' DESC, column_index`,
    { table },
  );
  const rows = reader.getRowObjectsJS() as { database_name: string; column_name: string }[];
  const database = rows[0]?.database_name;
  if (database === undefined) throw new EngineError('NOT_FOUND', `table ${table} was not found`, { table });
  return rows.filter((r) => r.database_name === database).map((r) => r.column_name);
}
