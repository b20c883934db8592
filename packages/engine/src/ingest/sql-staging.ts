import type { EngineContext } from '../context.ts';
import { StagingWriter, stagingTable } from '../store/incident-staging.ts';
import { mergeStaged } from './staging.ts';
import type { IngestOptions, IngestReport } from './types.ts';

/** Thrown inside a SQL attempt when the file is not for it; never escapes {@link stageAndMergeInSql}. */
const notPlain = new Error('not plainly valid');

/** How DuckDB reads one file into the staging table and checks its rows, and what else must hold. */
export interface SqlStaging {
  /** True for a row that is plainly valid (any other row stops the statement). */
  readonly predicate: string;
  /** The staged columns after `_row`, in the staging table's order. */
  readonly values: readonly string[];
  /** The FROM clause, reading the file bound as `$path`. */
  readonly from: string;
  /** Other values the statement binds (never pasted into its text). */
  readonly params?: Readonly<Record<string, string>>;
  /** The staged `_row`: `NULL` when the staging table's order is the file's. */
  readonly row: string;
  /** Resolves true when the file is fit for the SQL path beyond its rows (checked alongside in JS). */
  readonly fit: Promise<boolean>;
}

/** The statement that reads, checks and stages the file (`$path`) as `staging` says, one row each. */
export function stagingInsert(staging: Pick<SqlStaging, 'predicate' | 'values' | 'from' | 'row'>): string {
  return `INSERT INTO ${stagingTable}
    SELECT CASE WHEN coalesce(${staging.predicate}, false) THEN ${staging.row} ELSE error('not plainly valid') END,
      ${staging.values.join(', ')}
    FROM ${staging.from}`;
}

/**
 * Stages the file at `path` as `staging` reads it, every row checked by its predicate in the same
 * statement, then merges the staged rows (`mergeStaged`), in one transaction. When a row is not
 * plainly valid, DuckDB cannot read the file, or `staging.fit` says no, the transaction rolls
 * back, nothing is written, and `undefined` is returned: the caller reads the file the usual way.
 * Progress: one `reading` report once the file is staged, then `merging`.
 *
 * @throws EngineError CONFLICT from the merge (a given id belongs to another incident).
 */
export async function stageAndMergeInSql(
  context: EngineContext,
  path: string,
  staging: SqlStaging,
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  let merging = false;
  try {
    return await context.db.transaction(async (tx) => {
      (await StagingWriter.open(tx)).finish();
      const staged = await tx.one(stagingInsert(staging), { ...staging.params, path });
      if (!(await staging.fit)) throw notPlain;
      const received = Number(Object.values(staged ?? {})[0] ?? 0);
      options.onProgress?.({ phase: 'reading', received });
      options.onProgress?.({ phase: 'merging', received });
      merging = true;
      const { inserted, updated } = await mergeStaged(tx, context.now(), context.incidentsWritten);
      return { received, inserted, updated, skipped: 0, errors: [] };
    });
  } catch (error) {
    if (merging) throw error;
    await staging.fit;
    return undefined;
  }
}
