import { existsSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { StagingWriter, stagingTable } from '../store/incident-staging.ts';
import { type FieldSource, resolveColumns } from './column-mapping.ts';
import { hasPlainQuoting } from './csv-quoting.ts';
import { buildTextSqlCheck } from './csv-sql-check.ts';
import { CsvSplitter } from './readers/csv-splitter.ts';
import { textStream } from './readers/text-input.ts';
import type { SqlCheck } from './sql-check.ts';
import { mergeStaged } from './staging.ts';
import type { ColumnMapping, IgnoredColumns, IngestOptions, IngestReport, IngestSource } from './types.ts';

/** Thrown inside the SQL attempt when the file is not for it; never escapes this module. */
const notPlain = new Error('not plainly valid');

/** How DuckDB reads one file and checks its rows, and what else must hold for the file. */
interface SqlPlan {
  readonly check: SqlCheck;
  /** The FROM clause, reading the file bound as `$path`. */
  readonly from: string;
  /** Resolves true when the file is fit for the SQL path beyond its rows (checked alongside). */
  readonly fit: Promise<boolean>;
}

/**
 * Ingests a CSV or TSV file entirely in DuckDB when every row of it is plainly valid: the file is
 * read by `read_csv` (every column VARCHAR, the splitter's dialect, no sniffing), each row checked
 * by {@link buildTextSqlCheck} and staged in the same statement, then merged (`mergeStaged`), in one
 * transaction. A row that is not plainly valid stops the statement (DuckDB's `error()`), and so
 * does anything DuckDB cannot read; a CSV whose quoting is not plain ({@link hasPlainQuoting}) is
 * given up as well. Then the transaction rolls back, nothing is written, and the call returns
 * `undefined`: the caller reads the file the usual way (splitter, fast path, schema), which gives
 * the verdict, the stored values and the row errors exactly as before. So this path only ever
 * accepts files the JS path accepts, with the same values. Sources it does not apply to (records,
 * bytes in memory, other formats, a header the splitter cannot read or `resolveColumns` refuses)
 * return `undefined` at once.
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
  if (!('path' in source) || !existsSync(source.path)) return undefined;
  const format = source.format ?? formatFromFileName(source.path);
  if (format !== 'csv' && format !== 'tsv') return undefined;
  const separator = format === 'tsv' ? '\t' : ',';
  const plan = await csvPlan(source.path, separator, source.columnMapping, source.ignoreColumns);
  if (!plan) return undefined;
  const { check, from, fit } = plan;
  let merging = false;
  try {
    return await context.db.transaction(async (tx) => {
      (await StagingWriter.open(tx)).finish();
      const staged = await tx.one(
        `INSERT INTO ${stagingTable}
         SELECT CASE WHEN coalesce(${check.predicate}, false) THEN CAST(NULL AS INTEGER) ELSE error('not plainly valid') END,
           ${check.values.join(', ')}
         FROM ${from}`,
        { path: source.path },
      );
      if (!(await fit)) throw notPlain;
      const received = Number(Object.values(staged ?? {})[0] ?? 0);
      options.onProgress?.({ phase: 'reading', received });
      options.onProgress?.({ phase: 'merging', received });
      merging = true;
      const { inserted, updated } = await mergeStaged(tx, context.now(), context.incidentsWritten);
      return { received, inserted, updated, skipped: 0, errors: [] };
    });
  } catch (error) {
    if (merging) throw error;
    await plan.fit;
    return undefined;
  }
}

async function csvPlan(
  path: string,
  separator: ',' | '\t',
  mapping: ColumnMapping | undefined,
  ignore: IgnoredColumns | undefined,
): Promise<SqlPlan | undefined> {
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
    check,
    from: `read_csv($path, columns = {${columns}}, header = true, delim = '${separator}', quote = '"',
      escape = '"', auto_detect = false, strict_mode = true)`,
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
