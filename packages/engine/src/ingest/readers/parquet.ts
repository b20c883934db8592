import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EngineError } from '../../errors.ts';
import { bind } from '../../store/database.ts';
import { resolveColumns } from '../column-mapping.ts';
import { batchSize, type ColumnMapping, type RawBatch } from '../types.ts';
import { tabularRecord } from './tabular.ts';

const rawTable = 'incident_raw';

/**
 * Reads a Parquet file with DuckDB's own reader (`read_parquet`, path bound as a parameter) into a
 * temporary table on `conn` (inside the ingest transaction), then hands it out in slices of file row numbers (row ids of a temporary table are not dense inside a transaction), so
 * no streaming result stays open while the ingest appends on the same connection. Bytes in memory
 * are written to a temporary file first. Columns map to fields as for CSV; Parquet types carry
 * over (timestamps as instants, integers as numbers, lists as arrays).
 *
 * @throws EngineError VALIDATION_ERROR when the file is not Parquet.
 */
export async function* readParquet(
  conn: DuckDBConnection,
  input: { readonly path: string } | { readonly data: Uint8Array | string },
  mapping?: ColumnMapping,
): AsyncGenerator<RawBatch> {
  let path: string;
  let temporary: string | undefined;
  if ('path' in input) {
    path = input.path;
  } else {
    temporary = join(tmpdir(), `insights-ingest-${randomUUID()}.parquet`);
    writeFileSync(temporary, input.data);
    path = temporary;
  }
  try {
    try {
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE ${rawTable} AS SELECT * FROM read_parquet($path, file_row_number = true)`,
        bind({ path }).values,
      );
    } catch (error) {
      throw new EngineError('VALIDATION_ERROR', `cannot read Parquet: ${(error as Error).message}`);
    } finally {
      if (temporary) rmSync(temporary, { force: true });
    }
    const total = Number(
      (await conn.runAndReadAll(`SELECT count(*) FROM ${rawTable}`)).getRowsJS()[0]?.[0] ?? 0,
    );
    let sources: ReturnType<typeof resolveColumns> | undefined;
    for (let start = 0; start < total; start += batchSize) {
      const reader = await conn.runAndReadAll(
        `SELECT * FROM ${rawTable} WHERE file_row_number >= ${start} AND file_row_number < ${start + batchSize} ORDER BY file_row_number`,
      );
      sources ??= resolveColumns(reader.columnNames(), mapping);
      const columns = reader.getColumnsJS();
      const n = reader.currentRowCount;
      const records: unknown[] = new Array(n);
      const row: unknown[] = new Array(columns.length);
      for (let i = 0; i < n; i++) {
        for (const { index } of sources) row[index] = normalise(columns[index]?.[i]);
        records[i] = tabularRecord(row, sources, false);
      }
      yield { records, firstRow: start + 1 };
    }
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${rawTable}`);
  }
}

function normalise(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}
