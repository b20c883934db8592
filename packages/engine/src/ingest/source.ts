import { existsSync } from 'node:fs';
import { EngineError } from '../errors.ts';
import { formatFromFileName, ingestFileExtensions } from '../input/file-format.ts';
import type { Transaction } from '../store/transaction.ts';
import { checkMapping, objectReshaper } from './column-mapping.ts';
import { readArrow } from './readers/arrow.ts';
import { readCsv } from './readers/csv.ts';
import { readJson, readNdjson } from './readers/json.ts';
import { readParquet } from './readers/parquet.ts';
import { readRecords } from './readers/records.ts';
import { readServiceNow } from './readers/servicenow.ts';
import { type IngestFormat, type IngestSource, ingestFormats, type RawBatch } from './types.ts';

/**
 * The format of a file from its extension, by {@link formatFromFileName}.
 *
 * @throws EngineError VALIDATION_ERROR when the extension says nothing.
 */
function formatOfPath(path: string): IngestFormat {
  const format = formatFromFileName(path);
  if (!format) {
    throw new EngineError('VALIDATION_ERROR', `cannot tell the format of ${path}: give one`, {
      allowed: ingestFormats,
      extensions: ingestFileExtensions,
    });
  }
  return format;
}

/**
 * Opens a source as a stream of raw batches. Parquet needs `tx` (DuckDB reads it inside the
 * ingest transaction).
 *
 * @throws EngineError NOT_FOUND for a missing file; VALIDATION_ERROR for an unknown format, a bad
 *   column mapping or list of columns to ignore, or either of them given for the ServiceNow log.
 */
export function openSource(source: IngestSource, tx: Transaction): AsyncIterable<RawBatch> {
  if ('records' in source) return readRecords(source.records);
  const format = 'path' in source ? (source.format ?? formatOfPath(source.path)) : source.format;
  if (!ingestFormats.includes(format)) {
    throw new EngineError('VALIDATION_ERROR', `unknown format ${String(format)}`, { allowed: ingestFormats });
  }
  if ('path' in source && !existsSync(source.path)) {
    throw new EngineError('NOT_FOUND', `file ${source.path} was not found`, { path: source.path });
  }
  const mapping = source.columnMapping;
  const ignore = source.ignoreColumns;
  checkMapping(mapping, ignore);
  if (format === 'servicenow' && (Object.keys(mapping ?? {}).length > 0 || (ignore ?? []).length > 0)) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'the ServiceNow event log is read by its own fixed layout: a column mapping or columns to ignore do not apply to it',
    );
  }
  const input = 'path' in source ? { path: source.path } : { data: source.data };
  switch (format) {
    case 'json':
      return readJson(input, objectReshaper(mapping, ignore));
    case 'ndjson':
      return readNdjson(input, objectReshaper(mapping, ignore));
    case 'csv':
      return readCsv(input, mapping, ignore);
    case 'tsv':
      return readCsv(input, mapping, ignore, '\t');
    case 'parquet':
      return readParquet(tx, input, mapping, ignore);
    case 'arrow':
      return readArrow(input, mapping, ignore);
    case 'servicenow':
      return readServiceNow(input);
  }
}
