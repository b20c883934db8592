import { EngineError } from '../errors.ts';
import { type Incident, incidentColumns, type ValidIncident } from '../schema/incident.ts';
import { type SqlParams, type SqlValue, type Transaction, typedList } from '../store/database.ts';
import type { ItemOutcome } from '../store/group-commit.ts';
import { toIncident } from './incident-row.ts';

const writable = incidentColumns.map((c) => c.name);

/** A validated incident to create, its id and external id settled, and the time it is written at. */
export interface NewIncident {
  readonly valid: ValidIncident;
  /** The id as given (the table gives it back in lower case), or a new random one. */
  readonly id: string;
  /** Whether the caller gave the id (a new random UUID, 122 random bits, is not looked up). */
  readonly idGiven: boolean;
  readonly externalId: string;
  readonly now: Date;
}

/** The CONFLICT a create meets when its id or external id is taken. */
function conflict(id: string, externalId: string): EngineError {
  return new EngineError('CONFLICT', `an incident with id ${id} or external_id ${externalId} exists`, {
    id,
    external_id: externalId,
  });
}

/**
 * Creates incidents in the caller's write section as if one after another: one query finds which
 * of their ids and external ids are taken, an incident whose id or external id is taken (by a stored
 * incident or an earlier one of the batch) gets CONFLICT and writes nothing, and the rest are
 * written by one INSERT, the one writing statement (it commits by itself). Each written incident's answer is the stored record (no predictions),
 * built from the values written, as `SELECT ... FROM incidents` would give it back.
 */
export async function insertIncidents(
  tx: Transaction,
  incidents: readonly NewIncident[],
): Promise<ItemOutcome<Incident>[]> {
  const taken = await takenKeys(tx, incidents);
  const ids = new Set(taken.map((t) => t.id));
  const externalIds = new Set(taken.map((t) => t.external_id));
  const outcomes: ItemOutcome<Incident>[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const incident of incidents) {
    const id = incident.id.toLowerCase();
    if (ids.has(id) || externalIds.has(incident.externalId)) {
      outcomes.push({ ok: false, error: conflict(incident.id, incident.externalId) });
      continue;
    }
    ids.add(id);
    externalIds.add(incident.externalId);
    const row = storedRow(incident);
    rows.push(row);
    outcomes.push({ ok: true, answer: toIncident({ ...row, id }) });
  }
  if (rows.length > 0) await tx.run(...insertStatement(rows));
  return outcomes;
}

/**
 * The stored incidents that hold one of the batch's external ids or given ids: one statement, the
 * ids' half only when an id was given (an IN list of UUIDs costs DuckDB a scan of every id, some
 * 9 ms of CPU for 16 ids over 200,000 incidents against about 1 ms for 16 external ids).
 */
async function takenKeys(
  tx: Transaction,
  incidents: readonly NewIncident[],
): Promise<{ id: string; external_id: string }[]> {
  const params: Record<string, SqlValue> = {};
  const externalIds = incidents.map((incident, i) => {
    params[`external_id_${i}`] = incident.externalId;
    return `$external_id_${i}`;
  });
  const select = 'SELECT CAST(id AS VARCHAR) AS id, external_id FROM incidents WHERE';
  let sql = `${select} external_id IN (${externalIds.join(', ')})`;
  const ids = incidents.flatMap((incident, i) => {
    if (!incident.idGiven) return [];
    params[`id_${i}`] = incident.id;
    return [`TRY_CAST($id_${i} AS UUID)`];
  });
  if (ids.length > 0) sql += ` UNION ALL ${select} id IN (${ids.join(', ')})`;
  return tx.rows<{ id: string; external_id: string }>(sql, params);
}

/** The values written for one incident, by column, `ingested_at` and `updated_at` included. */
function storedRow({ valid, id, externalId, now }: NewIncident): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const values = { ...valid, id, external_id: externalId } as Record<string, unknown>;
  for (const column of writable) {
    const value = values[column] ?? null;
    // Each record its own objects, as a read gives them.
    row[column] = value instanceof Date ? new Date(value) : Array.isArray(value) ? [...value] : value;
  }
  row['ingested_at'] = new Date(now);
  row['updated_at'] = new Date(now);
  return row;
}

/** The DuckDB type of each storage kind (as the incident table's DDL declares it). */
const storageTypes = {
  uuid: 'VARCHAR', // bound as text, cast by the column
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int: 'INTEGER',
  'text[]': 'VARCHAR[]',
} as const satisfies Record<(typeof incidentColumns)[number]['kind'], string>;

/** The type each column a create writes is bound as, for {@link insertStatement}. */
const columnTypes = new Map<string, (typeof storageTypes)[keyof typeof storageTypes]>([
  ...incidentColumns.map((c): [string, (typeof storageTypes)[keyof typeof storageTypes]] => [
    c.name,
    storageTypes[c.kind],
  ]),
  ['ingested_at', 'TIMESTAMP'],
  ['updated_at', 'TIMESTAMP'],
]);

/**
 * One INSERT of several rows, each column bound as one list (`$column`, a value a row) and the
 * lists unnested side by side: the statement's size does not grow with the rows (a VALUES list of
 * a parameter a value cost DuckDB some 0.4 ms of CPU a row to bind and plan).
 */
function insertStatement(rows: readonly Record<string, unknown>[]): [string, SqlParams] {
  const params: Record<string, SqlValue> = {};
  const selected = [...columnTypes].map(([column, type]) => {
    params[column] = typedList(
      type,
      rows.map((row) => (row[column] ?? undefined) as SqlValue),
    );
    return `unnest($${column})`;
  });
  return [
    `INSERT INTO incidents (${[...columnTypes.keys()].join(', ')}) SELECT ${selected.join(', ')}`,
    params,
  ];
}
