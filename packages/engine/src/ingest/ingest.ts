import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { StagingWriter } from '../store/incident-staging.ts';
import type { Transaction } from '../store/transaction.ts';
import { ingestNdjsonInSql } from './ndjson-in-sql.ts';
import { loadParquetIntoEmptyStore } from './parquet-in-sql.ts';
import { openSource } from './source.ts';
import { mergeStaged, stageThenMerge } from './staging.ts';
import { ingestTextInSql } from './text-in-sql.ts';
import {
  type IngestOptions,
  type IngestReport,
  type IngestSource,
  maxReportedErrors,
  type RowError,
} from './types.ts';
import { validateBatch } from './validate.ts';

/**
 * Reads, validates and upserts incidents from `source`, all or nothing: batches stream from the
 * reader through validation into a staging table (a temporary table only this connection sees,
 * committed on its own), and the staged rows are merged into `incidents` in one transaction at the
 * end ({@link stageThenMerge}), so the call writes all of it or nothing. Without `skipInvalid`, the
 * first invalid record stops the staging but reading goes on, so the error lists every bad row. A
 * CSV, TSV or NDJSON file whose rows are all plainly valid is read, checked and staged in DuckDB
 * instead (`ingestTextInSql`, `ingestNdjsonInSql`), with the same outcome, and so is a first load of
 * such a Parquet file into an empty store (`loadParquetIntoEmptyStore`).
 *
 * @throws EngineError VALIDATION_ERROR `N invalid rows ...` with `details.errors` (row, line, field,
 *   message; at most {@link maxReportedErrors}) when a record is invalid and `skipInvalid` is off;
 *   VALIDATION_ERROR or NOT_FOUND for an unreadable or missing source; CONFLICT when a given id
 *   belongs to another incident.
 */
export async function ingestIncidents(
  context: EngineContext,
  source: IngestSource,
  options: IngestOptions = {},
): Promise<IngestReport> {
  const inSql =
    (await ingestTextInSql(context, source, options)) ??
    (await ingestNdjsonInSql(context, source, options)) ??
    (await loadParquetIntoEmptyStore(context, source, options));
  if (inSql) return inSql;
  return ingestInJs(context, source, options);
}

/**
 * The reading path every source can take (and the reference the SQL paths must agree with): the
 * reader's batches, validated in JS, staged, then merged, as {@link ingestIncidents} describes.
 */
export async function ingestInJs(
  context: EngineContext,
  source: IngestSource,
  options: IngestOptions = {},
): Promise<IngestReport> {
  return stageThenMerge(
    context.db,
    (tx) => stageSource(tx, source, options),
    async (tx, { received, invalid, errors }) => {
      options.onProgress?.({ phase: 'merging', received });
      const { inserted, updated } = await mergeStaged(tx, context.now(), context.incidentsWritten);
      return { received, inserted, updated, skipped: invalid, errors };
    },
  );
}

/**
 * Reads every row of `source` in batches, validates each and stages the valid ones in `tx`. Without
 * `skipInvalid`, the staging stops at the first invalid row and the reading goes on, to report them all.
 *
 * @throws EngineError VALIDATION_ERROR when a row is invalid and `skipInvalid` is off.
 */
async function stageSource(
  tx: Transaction,
  source: IngestSource,
  options: IngestOptions,
): Promise<{ received: number; invalid: number; errors: RowError[] }> {
  const skipInvalid = options.skipInvalid ?? false;
  const batches = openSource(source, tx);
  const writer = await StagingWriter.open(tx);
  let received = 0;
  let invalid = 0;
  const errors: RowError[] = [];
  try {
    for await (const batch of batches) {
      received += batch.records.length + (batch.prestaged ?? 0);
      const checked = validateBatch(batch);
      invalid += checked.invalidRows;
      for (const e of checked.errors) if (errors.length < maxReportedErrors) errors.push(e);
      if (invalid === 0 || skipInvalid) writer.append(checked.incidents, checked.rows);
      options.onProgress?.({ phase: 'reading', received });
    }
  } catch (error) {
    // The transaction rolls back; closing the appender must not hide the original error.
    try {
      writer.finish();
    } catch {}
    throw error;
  }
  writer.finish();
  errors.sort((a, b) => a.row - b.row);
  if (invalid > 0 && !skipInvalid) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `${invalid} invalid row${invalid === 1 ? '' : 's'}, nothing was written`,
      { errors },
    );
  }
  return { received, invalid, errors };
}
