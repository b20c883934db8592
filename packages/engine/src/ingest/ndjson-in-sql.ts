import { existsSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { checkMapping } from './column-mapping.ts';
import { buildNdjsonSqlCheck, ndjsonRecordColumn } from './ndjson-sql-check.ts';
import { hasStrictJsonSyntax } from './ndjson-syntax.ts';
import { stageAndMergeInSql } from './sql-staging.ts';
import type { IngestOptions, IngestReport, IngestSource } from './types.ts';

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
 * ignore that are themselves wrong) return `undefined` at once.
 *
 * Each row is staged with its `_row`, counted as `readNdjson` counts rows (blank lines skipped).
 * Progress: one `reading` report once the file is staged, then `merging`.
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
  const check = buildNdjsonSqlCheck(source.columnMapping, source.ignoreColumns);
  // `line_order` numbers the rows (blank lines skipped) as `readNdjson` does: DuckDB may stage them
  // in another order, and the merge takes the last of several rows with one external id by it.
  const from = `(SELECT ${['*', ...check.derived].join(', ')} FROM (SELECT line_order, ${check.columns.join(', ')}
    FROM read_json($path, format = 'newline_delimited', records = false, compression = 'uncompressed',
      columns = {${ndjsonRecordColumn}: 'MAP(VARCHAR, JSON)'}) WITH ORDINALITY AS lines(${ndjsonRecordColumn}, line_order)))`;
  return stageAndMergeInSql(
    context,
    source.path,
    {
      predicate: check.predicate,
      values: check.values,
      from,
      params: check.params,
      row: 'CAST(line_order AS INTEGER)',
      fit: hasStrictJsonSyntax(source.path).catch(() => false),
    },
    options,
  );
}
