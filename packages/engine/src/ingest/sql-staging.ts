import type { EngineContext } from '../context.ts';
import { incidentColumns } from '../schema/incident.ts';
import { StagingWriter, stagingTable } from '../store/incident-staging.ts';
import { absentId } from './sql-check.ts';
import { insertIntoEmptyStore, loadedTwice, mergeStaged, stageThenMerge } from './staging.ts';
import type { IngestOptions, IngestReport } from './types.ts';

/** Thrown inside a SQL attempt when the file is not for it; never escapes {@link stageAndMergeInSql}. */
const notPlain = new Error('not plainly valid');
/** Thrown inside the load into an empty store when its rows need the merge; never escapes either. */
const needsMerge = new Error('needs the merge');

/** How DuckDB reads one file into the staging table and checks its rows, and what else must hold. */
export interface SqlStaging {
  /** True for a row that is plainly valid (any other row, NULL included, stops the statement). */
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

/** Why a SQL attempt gave the file back: the error that stopped it (the check's own included). */
export class SqlRefusal {
  constructor(readonly cause: unknown) {}
}

/** The statement that reads, checks and stages the file (`$path`) as `staging` says, one row each. */
export function stagingInsert(staging: Pick<SqlStaging, 'predicate' | 'values' | 'from' | 'row'>): string {
  return `INSERT INTO ${stagingTable}
    SELECT CASE WHEN ${staging.predicate} THEN ${staging.row} ELSE error('not plainly valid') END,
      ${staging.values.join(', ')}
    FROM ${staging.from}`;
}

/**
 * Stages the file at `path` as `staging` reads it, every row checked by its predicate in the same
 * statement, then merges the staged rows (`mergeStaged`), in one write section
 * ({@link stageThenMerge}: the staging committed first, then the merge). When a row is not plainly
 * valid, DuckDB cannot read the file, or `staging.fit` says no, the staging rolls back, nothing is
 * written, and `undefined` is returned: the caller reads the file the usual way.
 * Into an empty store the file is first loaded in one pass ({@link loadIntoEmptyStore}); only when
 * its rows need the merge is it staged. Progress: one `reading` report once the file is staged,
 * then `merging`.
 *
 * @throws EngineError CONFLICT from the merge (a given id belongs to another incident).
 */
export async function stageAndMergeInSql(
  context: EngineContext,
  path: string,
  staging: SqlStaging,
  options: IngestOptions,
): Promise<IngestReport | undefined> {
  const attempt = await attemptInSql(context, path, staging, options);
  return attempt instanceof SqlRefusal ? undefined : attempt;
}

/** {@link stageAndMergeInSql}, saying why when it gives the file back. */
export async function attemptInSql(
  context: EngineContext,
  path: string,
  staging: SqlStaging,
  options: IngestOptions,
): Promise<IngestReport | SqlRefusal> {
  const loaded = await loadIntoEmptyStore(context, path, staging, options);
  if (loaded !== 'needs the merge') return loaded;
  let merging = false;
  try {
    return await stageThenMerge(
      context.db,
      async (tx) => {
        (await StagingWriter.open(tx)).finish();
        const staged = await tx.one(stagingInsert(staging), { ...staging.params, path });
        if (!(await staging.fit)) throw notPlain;
        return Number(Object.values(staged ?? {})[0] ?? 0);
      },
      async (tx, received) => {
        options.onProgress?.({ phase: 'reading', received });
        options.onProgress?.({ phase: 'merging', received });
        merging = true;
        const { inserted, updated } = await mergeStaged(tx, context.now(), context.incidentsWritten);
        return { received, inserted, updated, skipped: 0, errors: [] };
      },
    );
  } catch (error) {
    if (merging) throw error;
    await staging.fit;
    return new SqlRefusal(error);
  }
}

/**
 * The first load of a store: when it holds no incident, the file goes from DuckDB's reader through
 * the predicate straight into `incidents` in one statement (`insertIntoEmptyStore`), without the
 * staging table and the merge, which for such a load only copy the rows once more. What the merge
 * would have done differently is checked after, in the same transaction: a row without external id
 * (the statement fails), an external id or a given id twice (`loadedTwice`). Then the transaction
 * rolls back and `'needs the merge'` says to stage the file, as it does at once when the store is
 * not empty or the file has no external id column. A row that is not plainly valid, or a file
 * `staging.fit` refuses, gives a {@link SqlRefusal} at once, as staging it would.
 */
export async function loadIntoEmptyStore(
  context: EngineContext,
  path: string,
  staging: SqlStaging,
  options: IngestOptions,
): Promise<IngestReport | 'needs the merge' | SqlRefusal> {
  const externalId = staging.values[incidentColumns.findIndex((c) => c.name === 'external_id')];
  if (externalId === 'NULL') return 'needs the merge';
  const idsGiven = staging.values[incidentColumns.findIndex((c) => c.name === 'id')] !== absentId;
  const plainRows = `(SELECT ${staging.values.join(', ')} FROM ${staging.from}
    WHERE CASE WHEN ${staging.predicate} THEN true ELSE error('${notPlain.message}') END)`;
  try {
    return await context.db.transaction(async (tx) => {
      const stored = await tx.one<{ n: bigint }>('SELECT count(*) AS n FROM incidents');
      if (stored?.n !== 0n) throw needsMerge;
      const values = { ...staging.params, path, now: context.now() };
      const received = await insertIntoEmptyStore(tx, plainRows, idsGiven, values);
      if (!(await staging.fit)) throw notPlain;
      if (await loadedTwice(tx, idsGiven)) throw needsMerge;
      options.onProgress?.({ phase: 'reading', received });
      options.onProgress?.({ phase: 'merging', received });
      return { received, inserted: received, updated: 0, skipped: 0, errors: [] };
    });
  } catch (error) {
    if (error === needsMerge) return 'needs the merge';
    await staging.fit;
    // The predicate's own error: the file is for the JS path. Any other (a row without external id,
    // a file DuckDB cannot read) is left to the staging, which tells them apart.
    return error === notPlain || (error as Error).message?.includes(notPlain.message)
      ? new SqlRefusal(error)
      : 'needs the merge';
  }
}
