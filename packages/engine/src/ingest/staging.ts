import type { IncidentsWrittenHook } from '../context.ts';
import { EngineError } from '../errors.ts';
import { incidentColumns } from '../schema/incident.ts';
import type { Database } from '../store/database.ts';
import { stagingTable } from '../store/incident-staging.ts';
import type { SqlParams } from '../store/sql-values.ts';
import { inTransaction, type Transaction } from '../store/transaction.ts';

const sourceTable = 'incident_source';
/** The stored incidents an upsert overwrites: their external id, id and ingested_at. */
const keptTable = 'incident_kept';

const dataColumns = incidentColumns.map((c) => c.name).filter((n) => n !== 'id' && n !== 'external_id');
const timestampColumns = new Set<string>(
  incidentColumns.filter((c) => c.kind === 'timestamp').map((c) => c.name),
);
/** The data columns of a staged row as stored: timestamps from epoch milliseconds to TIMESTAMP. */
const select = dataColumns
  .map((c) => (timestampColumns.has(c) ? `epoch_ms(CAST(${c} AS BIGINT)) AS ${c}` : c))
  .join(', ');
const insertColumns = `id, external_id, ${dataColumns.join(', ')}, ingested_at, updated_at`;

/**
 * Fills the staging table with `stage` in a transaction of its own, then merges it with `merge` in a
 * second, both in one write section of `db`, so that nothing else writes in between. The first
 * writes only the writer connection's temporary staging table, which no other connection sees; the
 * second writes `incidents`, all or nothing. DuckDB reads committed rows faster than rows the same
 * transaction wrote: inserting 1 M incidents from a temporary table took 2.1 s in the transaction
 * that filled it, 1.0 s once it was committed, and the upsert of a 1 M-row CSV whose rows are all
 * known 5.5–6.1 s instead of 7.2–7.3 s. The staging table is dropped after both, whatever happened.
 */
export async function stageThenMerge<S, R>(
  db: Database,
  stage: (tx: Transaction) => Promise<S>,
  merge: (tx: Transaction, staged: S) => Promise<R>,
): Promise<R> {
  return db.exclusive(async (tx) => {
    try {
      const staged = await inTransaction(tx, () => stage(tx));
      return await inTransaction(tx, () => merge(tx, staged));
    } finally {
      await tx.run(`DROP TABLE IF EXISTS ${stagingTable}`);
    }
  });
}

/**
 * Upserts the staged rows into `incidents` by external id, in the caller's transaction `tx`:
 * a row whose external id exists overwrites that incident's fields and keeps its id and
 * `ingested_at`; a new one is inserted with its own id or a fresh UUID. Several staged rows with one
 * external id: the last in source order wins. A staged row without external id takes its id as
 * external id (so it is always new unless its id is given).
 *
 * Before rows that exist are overwritten, `incidentsWritten` is told where they are now (see
 * `IncidentsWritten`); an insert-only merge has nothing to announce.
 *
 * @returns how many incidents were inserted and how many updated.
 * @throws EngineError CONFLICT when a staged id belongs to an incident with another external id, or
 *   is given to two staged rows with different external ids.
 */
export async function mergeStaged(
  tx: Transaction,
  now: Date,
  incidentsWritten: IncidentsWrittenHook,
): Promise<{ inserted: number; updated: number }> {
  // One scan of the staging table; the stored count is metadata (no scan of incidents).
  const shape = (await tx.one(
    `SELECT count(*) AS n, count(external_id) AS e, count(DISTINCT external_id) AS d, count(id) AS i,
       count(DISTINCT CAST(id AS UUID)) AS di, (SELECT count(*) FROM incidents) AS stored
     FROM ${stagingTable}`,
  )) as { n: bigint; e: bigint; d: bigint; i: bigint; di: bigint; stored: bigint };
  const empty = shape.stored === 0n;
  const uniqueExternalIds = shape.n === shape.e && shape.e === shape.d;
  const uniqueIds = shape.i === shape.di;
  if (uniqueExternalIds && uniqueIds && (shape.i === 0n || empty || !(await givesTakenId(tx)))) {
    // The common bulk case (every row has an external id, none twice, no id given twice, and no
    // given id belongs to a stored incident with another external id: none given, an empty table,
    // or none found): no de-duplication or id bookkeeping is needed, so merge straight from the
    // staging table. This is what the general path below does for such rows, without copying them.
    const source = `(SELECT _row, id, ${select}, external_id FROM ${stagingTable})`;
    return merge(
      tx,
      source,
      shape.i === 0n ? 'uuid()' : 'coalesce(CAST(s.id AS UUID), uuid())',
      now,
      empty,
      incidentsWritten,
    );
  }
  // Rows staged in SQL leave `_row` empty: their place in the staging table is their source order.
  await tx.run(`CREATE OR REPLACE TEMP TABLE ${sourceTable} AS
    WITH s AS MATERIALIZED (
      SELECT * REPLACE (coalesce(_row, CAST(row_number() OVER (ORDER BY rowid) AS INTEGER)) AS _row), coalesce(CAST(id AS UUID), uuid()) AS uid
      FROM ${stagingTable}
    )
    SELECT _row, uid AS id, coalesce(external_id, CAST(uid AS VARCHAR)) AS external_id, ${select}
    FROM s
    QUALIFY row_number() OVER (PARTITION BY coalesce(external_id, CAST(uid AS VARCHAR)) ORDER BY _row DESC) = 1`);
  // One id given to two incidents of the file (two external ids) is refused at the later row.
  const twice = await tx.one(
    `SELECT max(_row) AS row, CAST(id AS VARCHAR) AS id FROM ${sourceTable}
     GROUP BY id HAVING count(*) > 1 ORDER BY row LIMIT 1`,
  );
  if (twice) {
    throw new EngineError('CONFLICT', `row ${twice['row']}: id ${twice['id']} is given to two incidents`, {
      errors: [{ row: twice['row'], field: 'id', message: 'given to another incident of the same source' }],
    });
  }
  const conflict = await tx.one(
    `SELECT s._row AS row, CAST(s.id AS VARCHAR) AS id FROM ${sourceTable} s
     JOIN incidents t ON t.id = s.id AND t.external_id <> s.external_id ORDER BY s._row LIMIT 1`,
  );
  if (conflict) {
    throw new EngineError(
      'CONFLICT',
      `row ${conflict['row']}: id ${conflict['id']} belongs to another incident`,
      {
        errors: [
          { row: conflict['row'], field: 'id', message: 'belongs to an incident with another external_id' },
        ],
      },
    );
  }
  const result = await merge(tx, sourceTable, 's.id', now, empty, incidentsWritten);
  await tx.run(`DROP TABLE ${sourceTable}`);
  return result;
}

/**
 * Whether a staged id belongs to a stored incident with another external id (a CONFLICT, which the
 * general path of {@link mergeStaged} reports with its row). One join, no copy of the staged rows.
 */
async function givesTakenId(tx: Transaction): Promise<boolean> {
  const row = await tx.one(
    `SELECT 1 AS taken FROM ${stagingTable} AS s
     JOIN incidents AS t ON t.id = CAST(s.id AS UUID) AND t.external_id <> s.external_id LIMIT 1`,
  );
  return row !== undefined;
}

/**
 * The INSERT of every row of `source` (aliased `s`: the staged columns, timestamps as stored) as a
 * new incident, with `newId` as its id and `$now` as its ingested_at and updated_at.
 */
function insertNew(source: string, newId: string): string {
  const values = `${newId}, s.external_id, ${dataColumns.map((c) => `s.${c}`).join(', ')}, $now, $now`;
  return `INSERT INTO incidents (${insertColumns}) SELECT ${values} FROM ${source} AS s`;
}

/**
 * Inserts the rows of `rows` (a relation with the staging table's columns after `_row`, in order,
 * timestamps as epoch milliseconds; `values` binds its parameters and `$now`) as new incidents in
 * `tx`, each with its given id or a fresh UUID when `idsGiven`, else a fresh UUID: what
 * {@link mergeStaged} does for the same rows staged, when the store holds no incident and every row
 * has an external id, none twice. The caller makes sure of both (an empty store before,
 * {@link loadedTwice} after); a row without external id fails the statement
 * (`incidents.external_id` is NOT NULL).
 *
 * @returns how many incidents were inserted.
 */
export async function insertIntoEmptyStore(
  tx: Transaction,
  rows: string,
  idsGiven: boolean,
  values: SqlParams & { readonly now: Date },
): Promise<number> {
  const named = `${rows} AS f(${incidentColumns.map((c) => c.name).join(', ')})`;
  const source = `(SELECT id, ${select}, external_id FROM ${named})`;
  const newId = idsGiven ? 'coalesce(CAST(s.id AS UUID), uuid())' : 'uuid()';
  const count = await tx.one(insertNew(source, newId), values);
  return Number(Object.values(count ?? {})[0] ?? 0);
}

/**
 * Whether, after {@link insertIntoEmptyStore}, two stored incidents share an external id, or (when
 * `idsGiven`) an id: then the rows needed {@link mergeStaged}'s de-duplication or its CONFLICT. Two
 * parallel groupings of the stored rows, which are the inserted ones.
 */
export async function loadedTwice(tx: Transaction, idsGiven: boolean): Promise<boolean> {
  const twice = (column: string) => `EXISTS (SELECT 1 FROM incidents GROUP BY ${column} HAVING count(*) > 1)`;
  const row = await tx.one<{ twice: boolean }>(
    `SELECT ${twice('external_id')}${idsGiven ? ` OR ${twice('id')}` : ''} AS twice`,
  );
  return row?.twice === true;
}

/**
 * Counts what will be updated, then merges `source` into incidents; new rows take `newId`. When no
 * source row matches a stored incident (always so for an empty table, `empty`), every row is new
 * and a plain INSERT does what the MERGE would, without its join against the stored rows.
 */
async function merge(
  tx: Transaction,
  source: string,
  newId: string,
  now: Date,
  empty: boolean,
  incidentsWritten: IncidentsWrittenHook,
): Promise<{ inserted: number; updated: number }> {
  const counts = (await tx.one(
    empty
      ? `SELECT count(*) AS total, 0 AS updated FROM ${source} AS s`
      : `SELECT count(*) AS total, count(*) FILTER (WHERE external_id IN (SELECT external_id FROM incidents)) AS updated
         FROM ${source} AS s`,
  )) as { total: bigint; updated: bigint | number };
  const updated = Number(counts.updated);
  const values = { now };
  if (updated === 0) {
    await tx.run(insertNew(source, newId), values);
  } else {
    // Rows whose created_at or service moves leave their old place (KPI rollups, caches) stale unless announced.
    await incidentsWritten(tx, {
      vacated: {
        sql: `SELECT date_trunc('hour', t.created_at) AS hour, t.service AS service
              FROM incidents AS t JOIN ${source} AS s ON t.external_id = s.external_id
              WHERE t.created_at IS DISTINCT FROM s.created_at OR t.service IS DISTINCT FROM s.service`,
        params: {},
      },
    });
    // What a MERGE (update the matched rows, insert the rest) would do, as a delete of the matched
    // rows and one insert: DuckDB writes an update of a list column (tags) as a delete and an insert
    // anyway, and on a table with an index (incidents_id, migration 8) that rewrite costs some 45 µs
    // of CPU a row (100,000 known rows among 2,000,000: 11.4 s of CPU against 3.4 s without the index;
    // bench/RESULTS.md), while a plain DELETE and INSERT cost what the MERGE did without it. The
    // overwritten rows keep their id and ingested_at, as under the MERGE.
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${keptTable} AS
       SELECT t.external_id, t.id, t.ingested_at FROM incidents AS t JOIN ${source} AS s ON t.external_id = s.external_id`,
    );
    await tx.run(`DELETE FROM incidents WHERE external_id IN (SELECT external_id FROM ${keptTable})`);
    await tx.run(
      `INSERT INTO incidents (${insertColumns})
       SELECT coalesce(k.id, ${newId}), s.external_id, ${dataColumns.map((c) => `s.${c}`).join(', ')},
              coalesce(k.ingested_at, $now), $now
       FROM ${source} AS s LEFT JOIN ${keptTable} AS k ON k.external_id = s.external_id`,
      values,
    );
    await tx.run(`DROP TABLE ${keptTable}`);
  }
  return { inserted: Number(counts.total) - updated, updated };
}
