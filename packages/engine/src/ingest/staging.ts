import {
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { EngineError } from '../errors.ts';
import { incidentColumns, type ValidIncident } from '../schema/incident.ts';
import { bind } from '../store/database.ts';

/**
 * The staging table an ingest call appends validated rows to, inside its transaction. Timestamps
 * travel as epoch milliseconds (DOUBLE) and become TIMESTAMPs in the merge, which saves building a
 * DuckDB value per timestamp in JS; `_row` is the source row, so that the last of several records
 * with one external id wins.
 */
export const stagingTable = 'incident_staging';
const sourceTable = 'incident_source';

type Kind = (typeof incidentColumns)[number]['kind'];
const stagingType: Record<Kind, DuckDBType> = {
  uuid: VARCHAR,
  text: VARCHAR,
  enum: VARCHAR,
  timestamp: DOUBLE,
  int: INTEGER,
  'text[]': LIST(VARCHAR),
};
const stagingSqlType: Record<Kind, string> = {
  uuid: 'VARCHAR',
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'DOUBLE',
  int: 'INTEGER',
  'text[]': 'VARCHAR[]',
};

const chunkRows = 2048;

/** Appends validated incidents to the staging table in 2,048-row data chunks. */
export class StagingWriter {
  private readonly appender: DuckDBAppender;
  private readonly types: DuckDBType[];
  private columns: DuckDBValue[][];
  /** Rows appended so far. */
  staged = 0;

  private constructor(appender: DuckDBAppender) {
    this.appender = appender;
    this.types = [INTEGER, ...incidentColumns.map((c) => stagingType[c.kind])];
    this.columns = this.types.map(() => []);
  }

  /** Creates (or empties) the staging table on `conn`, which must be inside a transaction. */
  static async open(conn: DuckDBConnection): Promise<StagingWriter> {
    const columns = incidentColumns.map((c) => `${c.name} ${stagingSqlType[c.kind]}`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${stagingTable} (_row INTEGER, ${columns.join(', ')})`);
    return new StagingWriter(await conn.createAppender(stagingTable, 'main', 'temp'));
  }

  /** Stages `incidents`; `rows[i]` is the source row of `incidents[i]`. */
  append(incidents: readonly ValidIncident[], rows: readonly number[]): void {
    let cols = this.columns;
    for (let i = 0; i < incidents.length; i++) {
      const r = incidents[i]!;
      cols[0]!.push(rows[i]!);
      cols[1]!.push(r.id);
      cols[2]!.push(r.external_id);
      cols[3]!.push(r.title);
      cols[4]!.push(r.description);
      cols[5]!.push(r.category);
      cols[6]!.push(r.subcategory);
      cols[7]!.push(r.severity);
      cols[8]!.push(r.priority);
      cols[9]!.push(r.status);
      cols[10]!.push(r.service);
      cols[11]!.push(r.team);
      cols[12]!.push(r.created_at.getTime());
      cols[13]!.push(r.acknowledged_at ? r.acknowledged_at.getTime() : null);
      cols[14]!.push(r.resolved_at ? r.resolved_at.getTime() : null);
      cols[15]!.push(r.closed_at ? r.closed_at.getTime() : null);
      cols[16]!.push(r.escalation_level);
      cols[17]!.push(r.reopen_count);
      cols[18]!.push(r.reassignment_count);
      cols[19]!.push(r.affected_users);
      cols[20]!.push(r.tags ? listValue(r.tags) : null);
      if (cols[0]!.length === chunkRows) {
        this.flushChunk();
        cols = this.columns;
      }
    }
  }

  /** Appends what is buffered and closes the appender; call once, before {@link mergeStaged}. */
  finish(): void {
    this.flushChunk();
    this.appender.flushSync();
    this.appender.closeSync();
  }

  private flushChunk(): void {
    const n = this.columns[0]!.length;
    if (n === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, n);
    chunk.setColumns(this.columns);
    this.appender.appendDataChunk(chunk);
    this.staged += n;
    this.columns = this.types.map(() => []);
  }
}

const dataColumns = incidentColumns.map((c) => c.name).filter((n) => n !== 'id' && n !== 'external_id');
const timestampColumns = new Set<string>(
  incidentColumns.filter((c) => c.kind === 'timestamp').map((c) => c.name),
);

/**
 * Upserts the staged rows into `incidents` by external id, on `conn` inside the caller's transaction:
 * a row whose external id exists overwrites that incident's fields and keeps its id and
 * `ingested_at`; a new one is inserted with its own id or a fresh UUID. Several staged rows with one
 * external id: the last in source order wins. A staged row without external id takes its id as
 * external id (so it is always new unless its id is given).
 *
 * @returns how many incidents were inserted and how many updated.
 * @throws EngineError CONFLICT when a staged id belongs to an incident with another external id.
 */
export async function mergeStaged(
  conn: DuckDBConnection,
  now: Date,
): Promise<{ inserted: number; updated: number }> {
  const select = dataColumns
    .map((c) => (timestampColumns.has(c) ? `epoch_ms(CAST(${c} AS BIGINT)) AS ${c}` : c))
    .join(', ');
  const shape = (
    await conn.runAndReadAll(
      `SELECT count(*) AS n, count(external_id) AS e, count(DISTINCT external_id) AS d, count(id) AS i FROM ${stagingTable}`,
    )
  ).getRowObjectsJS()[0] as { n: bigint; e: bigint; d: bigint; i: bigint };
  if (shape.n === shape.e && shape.e === shape.d && shape.i === 0n) {
    // The common bulk case (every row has an external id, none twice, no ids given): no
    // de-duplication or id bookkeeping is needed, so merge straight from the staging table.
    return merge(conn, `(SELECT _row, ${select}, external_id FROM ${stagingTable})`, 'uuid()', now);
  }
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${sourceTable} AS
    WITH s AS MATERIALIZED (
      SELECT *, coalesce(CAST(id AS UUID), uuid()) AS uid FROM ${stagingTable}
    )
    SELECT _row, uid AS id, coalesce(external_id, CAST(uid AS VARCHAR)) AS external_id, ${select}
    FROM s
    QUALIFY row_number() OVER (PARTITION BY coalesce(external_id, CAST(uid AS VARCHAR)) ORDER BY _row DESC) = 1`);
  const conflict = (
    await conn.runAndReadAll(
      `SELECT s._row AS row, CAST(s.id AS VARCHAR) AS id FROM ${sourceTable} s
       JOIN incidents t ON t.id = s.id AND t.external_id <> s.external_id ORDER BY s._row LIMIT 1`,
    )
  ).getRowObjectsJS()[0];
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
  const result = await merge(conn, sourceTable, 's.id', now);
  await conn.run(`DROP TABLE ${sourceTable}`);
  return result;
}

/** Counts what will be updated, then merges `source` into incidents; new rows take `newId`. */
async function merge(
  conn: DuckDBConnection,
  source: string,
  newId: string,
  now: Date,
): Promise<{ inserted: number; updated: number }> {
  const counts = (
    await conn.runAndReadAll(
      `SELECT count(*) AS total, count(*) FILTER (WHERE external_id IN (SELECT external_id FROM incidents)) AS updated
       FROM ${source} AS s`,
    )
  ).getRowObjectsJS()[0] as { total: bigint; updated: bigint };
  const { values } = bind({ now });
  await conn.run(
    `MERGE INTO incidents AS t USING ${source} AS s ON t.external_id = s.external_id
     WHEN MATCHED THEN UPDATE SET ${dataColumns.map((c) => `${c} = s.${c}`).join(', ')}, updated_at = $now
     WHEN NOT MATCHED THEN INSERT (id, external_id, ${dataColumns.join(', ')}, ingested_at, updated_at)
       VALUES (${newId}, s.external_id, ${dataColumns.map((c) => `s.${c}`).join(', ')}, $now, $now)`,
    values,
  );
  await conn.run(`DROP TABLE ${stagingTable}`);
  const updated = Number(counts.updated);
  return { inserted: Number(counts.total) - updated, updated };
}
