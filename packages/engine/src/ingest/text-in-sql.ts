import { isUtf8 } from 'node:buffer';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { type FieldSource, resolveColumns } from './column-mapping.ts';
import { hasPlainQuoting } from './csv-quoting.ts';
import { buildTextSqlCheck } from './csv-sql-check.ts';
import { ingestNdjsonInSql } from './ndjson-in-sql.ts';
import { CsvSplitter } from './readers/csv-splitter.ts';
import { textStream } from './readers/text-input.ts';
import { type SqlStaging, stageAndMergeInSql } from './sql-staging.ts';
import type { ColumnMapping, IgnoredColumns, IngestOptions, IngestReport, IngestSource } from './types.ts';

/**
 * Ingests a CSV or TSV file entirely in DuckDB when every row of it is plainly valid: the file is
 * read by `read_csv` (every column VARCHAR, the splitter's dialect, no sniffing), each row checked
 * by {@link buildTextSqlCheck} and staged in the same statement, then merged (`mergeStaged`), all
 * or nothing (`stageAndMergeInSql`). A row that is not plainly valid stops the statement (DuckDB's
 * `error()`), and so does anything DuckDB cannot read; a CSV whose quoting is not plain
 * ({@link hasPlainQuoting}) is given up as well. Then the staging rolls back, nothing is written, and the call returns
 * `undefined`: the caller reads the source the usual way (splitter, fast path, schema), which gives
 * the verdict, the stored values and the row errors exactly as before. So this path only ever
 * accepts sources the JS path accepts, with the same values. CSV or TSV bytes or text in memory (an
 * HTTP body) take the same path through a temporary file, when they are well-formed UTF-8 (the JS
 * path would replace what is not), and so do NDJSON bytes or text in memory, through
 * `ingestNdjsonInSql` (an NDJSON file is that function's own). Sources it does not apply to
 * (records, other formats, a header the splitter cannot read or `resolveColumns` refuses) return
 * `undefined` at once.
 *
 * Rows are staged without `_row`: their position in the staging table is their source order
 * (`mergeStaged` reads it when it needs one). Progress: one `reading` report once the file is
 * staged, then `merging`.
 *
 * @throws EngineError CONFLICT from the merge (a given id belongs to another incident).
 */
export async function ingestTextInSql(
  context: EngineContext,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  if ('records' in source) return undefined;
  const format = 'path' in source ? (source.format ?? formatFromFileName(source.path)) : source.format;
  if (format === 'ndjson') {
    // A file is `ingestNdjsonInSql`'s own; a body takes it through a temporary file.
    if ('path' in source) return undefined;
    const { columnMapping, ignoreColumns } = source;
    const reshape = { ...(columnMapping && { columnMapping }), ...(ignoreColumns && { ignoreColumns }) };
    return inTemporaryFile(source.data, format, (path) =>
      ingestNdjsonInSql(context, { path, format, ...reshape }, options),
    );
  }
  if (format !== 'csv' && format !== 'tsv') return undefined;
  const separator = format === 'tsv' ? '\t' : ',';
  if ('path' in source) {
    if (!existsSync(source.path)) return undefined;
    return ingestFileInSql(context, source.path, separator, source, options);
  }
  return inTemporaryFile(source.data, format, (path) =>
    ingestFileInSql(context, path, separator, source, options),
  );
}

/**
 * Writes a body (text or bytes) to a temporary file named `body.<extension>`, runs `ingest` on it
 * and removes it. `undefined`, without `ingest`, for a body that is not well-formed UTF-8 (the JS
 * path would replace what is not, so the copy would not be the same text) or when the copy cannot be
 * written: the JS path then reads the body from memory.
 */
async function inTemporaryFile(
  data: Uint8Array | string,
  extension: string,
  ingest: (path: string) => Promise<IngestReport | undefined>,
): Promise<IngestReport | undefined> {
  if (typeof data === 'string' ? !isWellFormed(data) : !isUtf8(data)) return undefined;
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'insights-ingest-'));
    const path = join(dir, `body.${extension}`);
    try {
      writeFileSync(path, data);
    } catch {
      return undefined; // no room for the copy: the JS path reads the body from memory
    }
    return await ingest(path);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `text` has no lone surrogate (ES2024's `String.prototype.isWellFormed`, in Node since 20). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** {@link ingestTextInSql} for the CSV or TSV file at `path`. */
async function ingestFileInSql(
  context: EngineContext,
  path: string,
  separator: ',' | '\t',
  source: { readonly columnMapping?: ColumnMapping; readonly ignoreColumns?: IgnoredColumns },
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  const plan = await csvPlan(path, separator, source.columnMapping, source.ignoreColumns);
  if (!plan) return undefined;
  return stageAndMergeInSql(context, path, plan, options);
}

async function csvPlan(
  path: string,
  separator: ',' | '\t',
  mapping: ColumnMapping | undefined,
  ignore: IgnoredColumns | undefined,
): Promise<SqlStaging | undefined> {
  let header: string[] | undefined;
  let sources: FieldSource[];
  try {
    header = await readHeader(path, separator);
    if (!header) return undefined;
    sources = resolveColumns(header, mapping, ignore);
  } catch {
    return undefined;
  }
  const names = header.map((_, i) => `c${i}`);
  const check = buildTextSqlCheck(sources, names);
  if (!check) return undefined;
  const columns = names.map((n) => `'${n}': 'VARCHAR'`).join(', ');
  return {
    predicate: check.predicate,
    values: check.values,
    row: 'CAST(NULL AS INTEGER)',
    from: `(SELECT ${check.inputs.join(', ')} FROM read_csv($path, columns = {${columns}}, header = true,
      delim = '${separator}', quote = '"', escape = '"', auto_detect = false, strict_mode = true))`,
    // The quoting is checked in JS while DuckDB reads the file.
    fit: hasPlainQuoting(path, separator).catch(() => false),
  };
}

/** The header record as the splitter reads it, or `undefined` for a file without one. */
async function readHeader(path: string, separator: ',' | '\t'): Promise<string[] | undefined> {
  const splitter = new CsvSplitter(separator);
  const stream = textStream({ path });
  try {
    for await (const chunk of stream) {
      const first = splitter.push(chunk as string)[0];
      if (first) return first[0];
    }
    return splitter.push('', true)[0]?.[0];
  } finally {
    stream.destroy();
  }
}
