import { existsSync } from 'node:fs';
import type { EngineContext } from '../context.ts';
import { formatFromFileName } from '../input/file-format.ts';
import { resolveColumns } from './column-mapping.ts';
import { buildSqlCheck } from './sql-check.ts';
import { loadIntoEmptyStore, SqlRefusal } from './sql-staging.ts';
import type { IngestOptions, IngestReport, IngestSource } from './types.ts';

/**
 * The first load of a Parquet file into a store that holds no incident: `read_parquet` through the
 * vectorised check ({@link buildSqlCheck}) straight into `incidents`, in one statement
 * (`loadIntoEmptyStore`). Anything else returns `undefined` and nothing is written: a store that
 * holds incidents, a row that is not plainly valid, rows that need the merge (an external id twice,
 * a row without one), a column type the check does not handle, bytes in memory, another format.
 * The caller then reads the file as before (`readParquet`: plainly valid rows staged in SQL, the
 * others judged by the schema, then the merge), which gives the same rows, or the row errors.
 */
export async function loadParquetIntoEmptyStore(
  context: EngineContext,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  if (!('path' in source) || !existsSync(source.path)) return undefined;
  if ((source.format ?? formatFromFileName(source.path)) !== 'parquet') return undefined;
  const params = { path: source.path };
  let check: ReturnType<typeof buildSqlCheck>;
  try {
    const columns = await context.db.all<{ column_name: string; column_type: string }>(
      'DESCRIBE SELECT * FROM read_parquet($path)',
      params,
    );
    const names = columns.map((c) => c.column_name);
    const sources = resolveColumns(names, source.columnMapping, source.ignoreColumns);
    check = buildSqlCheck(
      sources,
      names,
      columns.map((c) => c.column_type),
    );
  } catch {
    return undefined; // not Parquet, or columns the mapping refuses: the usual path says why
  }
  if (!check) return undefined;
  const loaded = await loadIntoEmptyStore(
    context,
    source.path,
    { ...check, from: 'read_parquet($path)', row: 'CAST(NULL AS INTEGER)', fit: Promise.resolve(true) },
    options,
  );
  return loaded instanceof SqlRefusal || loaded === 'needs the merge' ? undefined : loaded;
}
