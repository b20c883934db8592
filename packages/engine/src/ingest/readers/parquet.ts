import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../errors.ts';
import { stagingTable } from '../../store/incident-staging.ts';
import type { Transaction } from '../../store/transaction.ts';
import { resolveColumns } from '../column-mapping.ts';
import { buildSqlCheck } from '../sql-check.ts';
import { batchSize, type ColumnMapping, type IgnoredColumns, type RawBatch } from '../types.ts';
import { tabularRecord } from './tabular.ts';

const rawTable = 'incident_raw';

/**
 * Reads a Parquet file with DuckDB's own reader (`read_parquet`, path bound as a parameter) in `tx`,
 * inside the ingest transaction. Rows that the vectorised check
 * ({@link buildSqlCheck}) finds plainly valid go straight from the file to the staging table in one
 * `INSERT … SELECT` and are reported as `prestaged`; the others are copied to a temporary table
 * and handed out as records (in
 * slices of file row numbers, so no streaming result stays open while the ingest appends on the
 * same connection) for the schema to judge, so errors and stored values are those of every other
 * format. Bytes in memory are written to a temporary file first. Columns map to fields as for CSV;
 * Parquet types carry over (timestamps as instants, integers as numbers, lists as arrays).
 *
 * @throws EngineError VALIDATION_ERROR when the file is not Parquet, a mapped column is missing, or a
 *   column is neither read nor ignored (see `resolveColumns`).
 */
export async function* readParquet(
  tx: Transaction,
  input: { readonly path: string } | { readonly data: Uint8Array | string },
  mapping?: ColumnMapping,
  ignore?: IgnoredColumns,
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
  const params = { path };
  try {
    let names: string[];
    let types: string[];
    try {
      const rows = await tx.rows<{ column_name: string; column_type: string }>(
        'DESCRIBE SELECT * FROM read_parquet($path)',
        params,
      );
      names = rows.map((r) => r.column_name);
      types = rows.map((r) => r.column_type);
    } catch (error) {
      throw new EngineError('VALIDATION_ERROR', `cannot read Parquet: ${(error as Error).message}`);
    }
    const sources = resolveColumns(names, mapping, ignore);
    const check = buildSqlCheck(sources, names, types);
    const plainRows = check?.predicate ?? 'false';
    let staged = 0;
    if (check) {
      // Plainly valid rows go straight from the file to the staging table: one pass, no copy.
      const inserted = await tx.one(
        `INSERT INTO ${stagingTable}
         SELECT file_row_number + 1, ${check.values.join(', ')}
         FROM read_parquet($path, file_row_number = true) WHERE coalesce(${plainRows}, false)`,
        params,
      );
      staged = Number(Object.values(inserted ?? {})[0] ?? 0);
    }
    if (check) {
      // The row count is Parquet metadata: when every row was plainly valid, the file is not read again.
      const total = await tx.one<{ n: bigint }>('SELECT count(*) AS n FROM read_parquet($path)', params);
      if (Number(total?.n ?? -1) === staged) {
        if (temporary) rmSync(temporary, { force: true });
        if (staged > 0) yield { records: [], firstRow: 1, prestaged: staged };
        return;
      }
    }
    // Only the other rows are copied out for the schema to judge.
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${rawTable} AS
       SELECT * FROM read_parquet($path, file_row_number = true) WHERE NOT coalesce(${plainRows}, false)`,
      params,
    );
    if (temporary) rmSync(temporary, { force: true });
    if (staged > 0) yield { records: [], firstRow: 1, prestaged: staged };
    const remaining = await tx.one<{ n: bigint; last: bigint | null }>(
      `SELECT count(*) AS n, max(file_row_number) AS last FROM ${rawTable}`,
    );
    if (!remaining || remaining.n === 0n) return;
    const total = Number(remaining.last) + 1;
    for (let start = 0; start < total; start += batchSize) {
      const { columns, rowCount: n } = await tx.columns(
        `SELECT * FROM ${rawTable}
         WHERE file_row_number >= ${start} AND file_row_number < ${start + batchSize}
         ORDER BY file_row_number`,
      );
      const fileRow = columns[names.length]!;
      if (n === 0) continue;
      const records: unknown[] = new Array(n);
      const rows: number[] = new Array(n);
      const row: unknown[] = new Array(names.length);
      for (let i = 0; i < n; i++) {
        for (const { index } of sources) row[index] = normalise(columns[index]?.[i]);
        records[i] = tabularRecord(row, sources, false);
        rows[i] = Number(fileRow[i]) + 1;
      }
      yield { records, firstRow: rows[0]!, rows };
    }
  } finally {
    if (temporary) rmSync(temporary, { force: true });
    // After a failed statement the transaction is aborted and rolls back (dropping the table);
    // a failing DROP must not hide the error that got us here.
    await tx.run(`DROP TABLE IF EXISTS ${rawTable}`).catch(() => undefined);
  }
}

function normalise(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}
