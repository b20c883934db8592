import { existsSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { checkMapping } from './column-mapping.ts';
import {
  buildNdjsonSqlCheck,
  type NdjsonRead,
  ndjsonAllowedKeys,
  ndjsonRecordColumn,
} from './ndjson-sql-check.ts';
import { hasStrictJsonSyntax } from './ndjson-syntax.ts';
import { attemptInSql, SqlRefusal, type SqlStaging, stageAndMergeInSql } from './sql-staging.ts';
import type { ColumnMapping, IgnoredColumns, IngestOptions, IngestReport, IngestSource } from './types.ts';

/** The mapping and the keys to ignore of a source. */
interface Reshape {
  readonly columnMapping?: ColumnMapping | undefined;
  readonly ignoreColumns?: IgnoredColumns | undefined;
}

/**
 * Ingests an NDJSON file entirely in DuckDB when every line of it is plainly valid: `read_json`
 * reads each line, {@link buildNdjsonSqlCheck} checks each row and the same statement stages it,
 * then the rows are merged (`mergeStaged`), all or nothing (`stageAndMergeInSql`). When DuckDB's
 * sample of the file shows only keys a line may hold ({@link sampledKeys}), the lines are read as
 * one `JSON` column per key, and DuckDB refuses a line with any other key; should such a key first
 * show after the sample, the file is read again with each line as one `MAP(VARCHAR, JSON)`, whose
 * keys the check counts (on the peer's 1 M lines the map read took 4.7 s where the columns took
 * 3.6). A line that is not plainly valid stops the statement (DuckDB's `error()`), and so does anything DuckDB cannot read:
 * a line that is not JSON or not an object, a byte order mark, bad UTF-8; a key given twice stops
 * it too (DuckDB refuses it when reading by key, the check counts it in a map). A trailing comma,
 * which DuckDB reads and `JSON.parse` refuses, is looked for in JS while DuckDB reads
 * ({@link hasStrictJsonSyntax}). In each of these cases the staging rolls back, nothing is
 * written, and the call returns `undefined`: the caller reads the file the usual way (`readNdjson`,
 * fast path, schema), which gives the verdict, the stored values and the row errors exactly as
 * before. So this path only ever accepts files the JS path accepts, with the same values.
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
  const fit = hasStrictJsonSyntax(source.path).catch(() => false);
  const positions = await sampledKeys(
    context,
    source.path,
    ndjsonAllowedKeys(source.columnMapping, source.ignoreColumns),
  );
  if (positions) {
    const read: NdjsonRead = { as: 'columns', positions };
    const attempt = await attemptInSql(
      context,
      source.path,
      { ...ndjsonStaging(source, read), fit },
      options,
    );
    if (!(attempt instanceof SqlRefusal)) return attempt;
    if (!String((attempt.cause as Error)?.message).includes(unknownKey)) return undefined;
  }
  return stageAndMergeInSql(context, source.path, { ...ndjsonStaging(source), fit }, options);
}

/** Where DuckDB's error says a line holds a key the columns read by key do not have. */
const unknownKey = 'has unknown key';

/** How `read_json` reads a file key by key; {@link sampledKeys} describes this very call. */
const readByKeys = `read_json($path, format = 'newline_delimited', records = true, maximum_depth = 1,
  compression = 'uncompressed')`;

/**
 * The keys of the file at `path` as DuckDB's sample of its first lines finds them, each with its
 * column's position, when each is one of `allowed` and its column is `JSON`; `undefined` otherwise
 * (a sample DuckDB cannot read, a key the lines may not hold, a column DuckDB renamed because two
 * keys differ only in case: `title` and `Title_1`): then the lines are read as maps.
 */
export async function sampledKeys(
  context: EngineContext,
  path: string,
  allowed: readonly string[],
): Promise<Map<string, number> | undefined> {
  let columns: { column_name: string; column_type: string }[];
  try {
    columns = await context.db.all(`DESCRIBE SELECT * FROM ${readByKeys}`, { path });
  } catch {
    return undefined;
  }
  const names = columns.map((c) => c.column_name);
  const lowered = new Set(names.map((name) => name.toLowerCase()));
  const renamed = (name: string) =>
    /_\d+$/.test(name) && lowered.has(name.replace(/_\d+$/, '').toLowerCase());
  const fit = columns.every(
    (c) => c.column_type === 'JSON' && allowed.includes(c.column_name) && !renamed(c.column_name),
  );
  return fit && columns.length > 0 ? new Map(names.map((name, i) => [name, i])) : undefined;
}

/**
 * How {@link ingestNdjsonInSql} reads an NDJSON file (bound as `$path`) with `reshape`'s mapping and
 * ignored keys: `read_json` gives each line as `read` says (by default as one `MAP(VARCHAR, JSON)`),
 * checked and turned into the staged values by {@link buildNdjsonSqlCheck}. Rows are staged without
 * `_row`, like a CSV's: DuckDB reads the file in parallel and its insert keeps the file's order, so
 * a row's place in the staging table is its place among the file's rows (blank lines skipped, as
 * `readNdjson` counts them), which `mergeStaged` reads when several rows share an external id.
 * (Numbering the lines in SQL, `WITH ORDINALITY`, is a window: it ran the whole statement on one
 * thread, the other spinning.)
 */
export function ndjsonStaging(reshape: Reshape, read: NdjsonRead = { as: 'map' }): Omit<SqlStaging, 'fit'> {
  const check = buildNdjsonSqlCheck(reshape.columnMapping, reshape.ignoreColumns, read);
  const lines =
    read.as === 'map'
      ? `read_json($path, format = 'newline_delimited', records = false, compression = 'uncompressed',
        columns = {${ndjsonRecordColumn}: 'MAP(VARCHAR, JSON)'})`
      : readByKeys;
  return {
    predicate: check.predicate,
    values: check.values,
    from: `(SELECT ${['*', ...check.derived].join(', ')} FROM (SELECT ${['*', ...check.strings].join(', ')}
      FROM (SELECT ${check.columns.join(', ')} FROM ${lines})))`,
    params: check.params,
    row: 'CAST(NULL AS INTEGER)',
  };
}
