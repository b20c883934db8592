import { existsSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { checkMapping } from './column-mapping.ts';
import { buildNdjsonSqlCheck, ndjsonRecordColumn } from './ndjson-sql-check.ts';
import { hasStrictJsonSyntax } from './ndjson-syntax.ts';
import { type SqlStaging, stageAndMergeInSql } from './sql-staging.ts';
import type { ColumnMapping, IgnoredColumns, IngestOptions, IngestReport, IngestSource } from './types.ts';

/** The mapping and the keys to ignore of a source. */
interface Reshape {
  readonly columnMapping?: ColumnMapping | undefined;
  readonly ignoreColumns?: IgnoredColumns | undefined;
}

/**
 * Ingests an NDJSON file entirely in DuckDB when every line of it is plainly valid: `read_json`
 * reads each line as one `MAP(VARCHAR, JSON)`, {@link buildNdjsonSqlCheck} checks each row and the
 * same statement stages it, then the rows are merged (`mergeStaged`), in one transaction. A line
 * that is not plainly valid stops the statement (DuckDB's `error()`), and so does anything DuckDB
 * cannot read: a line that is not JSON or not an object, a key given twice, a byte order mark, bad
 * UTF-8. A trailing comma, which DuckDB reads and `JSON.parse` refuses, is looked for in JS while
 * DuckDB reads ({@link hasStrictJsonSyntax}). In each of these cases the transaction rolls back,
 * nothing is written, and the call returns `undefined`: the caller reads the file the usual way
 * (`readNdjson`, fast path, schema), which gives the verdict, the stored values and the row errors
 * exactly as before. So this path only ever accepts files the JS path accepts, with the same values.
 * Sources it does not apply to (records, bytes in memory, other formats, a mapping or columns to
 * ignore that are themselves wrong) return `undefined` at once; a body comes here through a
 * temporary file (`ingestTextInSql`).
 *
 * Rows are staged in the file's order ({@link ndjsonStaging}). Progress: one `reading` report once
 * the file is staged, then `merging`.
 *
 * @throws EngineError CONFLICT from the merge (a given id belongs to another incident).
 */
export async function ingestNdjsonInSql(
  context: EngineContext,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  if (!('path' in source) || !existsSync(source.path)) return undefined;
  if ((source.format ?? formatFromFileName(source.path)) !== 'ndjson') return undefined;
  try {
    checkMapping(source.columnMapping, source.ignoreColumns);
  } catch {
    return undefined;
  }
  return stageAndMergeInSql(
    context,
    source.path,
    { ...ndjsonStaging(source), fit: hasStrictJsonSyntax(source.path).catch(() => false) },
    options,
  );
}

/**
 * How {@link ingestNdjsonInSql} reads an NDJSON file (bound as `$path`) with `reshape`'s mapping and
 * ignored keys: `read_json` gives each line as one `MAP(VARCHAR, JSON)`, checked and turned into the
 * staged values by {@link buildNdjsonSqlCheck}. Rows are staged without `_row`, like a CSV's: DuckDB
 * reads the file in parallel and its batch insert keeps the file's order, so a row's place in the
 * staging table is its place among the file's rows (blank lines skipped, as `readNdjson` counts
 * them), which `mergeStaged` reads when several rows share an external id. (Numbering the lines in
 * SQL, `WITH ORDINALITY`, is a window: it ran the whole statement on one thread, the other spinning.)
 */
export function ndjsonStaging(reshape: Reshape): Omit<SqlStaging, 'fit'> {
  const check = buildNdjsonSqlCheck(reshape.columnMapping, reshape.ignoreColumns);
  return {
    predicate: check.predicate,
    values: check.values,
    from: `(SELECT ${['*', ...check.derived].join(', ')} FROM (SELECT ${check.columns.join(', ')}
      FROM read_json($path, format = 'newline_delimited', records = false, compression = 'uncompressed',
        columns = {${ndjsonRecordColumn}: 'MAP(VARCHAR, JSON)'})))`,
    params: check.params,
    row: 'CAST(NULL AS INTEGER)',
  };
}
