import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { ingestIncidents } from '../ingest/ingest.ts';
import type { IngestOptions, IngestReport, IngestSource } from '../ingest/types.ts';
import { validateBatch } from '../ingest/validate.ts';
import {
  type Incident,
  type IncidentInput,
  incidentColumns,
  isoToDate,
  type ValidIncident,
} from '../schema/incident.ts';
import type { SqlParams } from '../store/database.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { cachedAnswer, listCacheKey, listRequestKey } from '../store/list-cache.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { insertIncidents, type NewIncident } from './incident-insert.ts';
import {
  type IncidentListFilters,
  type IncidentRecord,
  incidentListSpec,
  incidentSelect,
  type PredictionReader,
  toIncident,
  withPredictions,
} from './incident-row.ts';

const writable = incidentColumns.map((c) => c.name);

/**
 * The point read of one incident by id (`$id`, text; not a UUID matches nothing). DuckDB answers it
 * with an index scan of `incidents_id` (migration 8) when it runs, the cast parameter included, so a
 * cold read looks one row up instead of scanning the `id` column.
 */
export const incidentByIdSql = `SELECT ${incidentSelect} FROM incidents WHERE id = TRY_CAST($id AS UUID)`;

/** What the database holds: how many incidents, and when the first and the last were created. */
export interface IncidentCoverage {
  /** Incidents stored. */
  readonly count: number;
  /** The earliest `created_at`; null when there are no incidents. */
  readonly firstCreatedAt: Date | null;
  /** The latest `created_at`; null when there are no incidents. */
  readonly lastCreatedAt: Date | null;
}

/**
 * Incidents: bulk ingestion from files, payloads and JS objects, and one-at-a-time reads and writes.
 * Every write validates with `incidentInputSchema` and runs in a transaction. The records returned
 * carry the predictions the models capability stored on them (`predictions`, null when none).
 */
export class IncidentService {
  private readonly context: EngineContext;
  /** Single creates, written in batches of those that arrive together. */
  private readonly creates: GroupCommit<NewIncident, Incident>;

  constructor(context: EngineContext) {
    this.context = context;
    this.creates = new GroupCommit(context.db, insertIncidents, { oneWritingStatement: true });
  }

  /**
   * Ingests incidents from a source, upserting by external id, all or nothing (see
   * {@link ingestIncidents}).
   *
   * @throws EngineError VALIDATION_ERROR with row-level `details.errors`; NOT_FOUND for a missing
   *   file; CONFLICT for an id of another incident.
   */
  async ingest(source: IngestSource, options: IngestOptions = {}): Promise<IngestReport> {
    return ingestIncidents(this.context, source, options);
  }

  /**
   * One page of incidents. Filters: category, severity, priority, status, service, team (a value or
   * an array of values), created_after (inclusive), created_before (exclusive; both a `Date` or ISO
   * 8601 text). Search looks in title and description. Ordering: created_at, resolved_at, severity
   * (by rank), priority, status, service, team, title; default newest first.
   *
   * The page's predictions are read in one query for its ids. A repeat of the same request with no
   * write in between is answered from memory.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown filter, ordering or bad page; NOT_FOUND for
   *   a page past the end.
   */
  async list(request: ListRequest<IncidentListFilters>): Promise<Page<IncidentRecord>> {
    const filters: Record<string, unknown> = { ...request.filters };
    for (const key of ['created_after', 'created_before']) {
      if (filters[key] !== undefined) filters[key] = toDate(filters[key], key);
    }
    const listed = { ...request, filters };
    // The whole page, predictions included, is remembered until the next write (store/list-cache.ts).
    return cachedAnswer(this.context.db, listRequestKey('incidents', listed), async () => {
      const page = await listPage(this.context.db, incidentListSpec, listed, toIncident);
      return { ...page, results: await withPredictions(await this.storedPredictionReader(), page.results) };
    });
  }

  /**
   * The incident with this id, with its stored predictions; a repeat with no write in between is
   * answered from memory.
   *
   * @throws EngineError NOT_FOUND.
   */
  async get(id: string): Promise<IncidentRecord> {
    // Remembered until the next write, like list pages (store/list-cache.ts).
    return cachedAnswer(this.context.db, listCacheKey('incident', { id: String(id) }), async () => {
      const [record] = await withPredictions(await this.storedPredictionReader(), [await this.stored(id)]);
      return record as IncidentRecord;
    });
  }

  /** The stored fields of the incident with this id (no predictions). @throws EngineError NOT_FOUND. */
  private async stored(id: string): Promise<Incident> {
    const row = await this.context.db.one(incidentByIdSql, { id: String(id).toLowerCase() });
    if (!row) throw notFound('incident', id);
    return toIncident(row);
  }

  /**
   * Creates one incident; id and external id are generated when absent (the external id is then the id).
   * Creates that arrive while another write runs are written together in one transaction, each
   * answered with its own record or error ({@link GroupCommit}).
   *
   * @throws EngineError VALIDATION_ERROR (field-level `details.errors`); CONFLICT when the given id
   *   or the external id is taken (by a stored incident or an earlier create of the same batch; a
   *   generated id, a random UUID, is not looked up).
   */
  async create(input: IncidentInput): Promise<IncidentRecord> {
    const valid = validateOne(input);
    const id = valid.id ?? randomUUID();
    const externalId = valid.external_id ?? id;
    // Creates that arrive together share one transaction (store/group-commit.ts).
    const incident = await this.creates.submit({
      valid,
      id,
      idGiven: valid.id !== null,
      externalId,
      now: this.context.now(),
    });
    const [record] = await withPredictions(await this.storedPredictionReader(), [incident]);
    return record as IncidentRecord;
  }

  /**
   * Changes fields of an incident; the result is validated as a whole (resolved before created is
   * refused even when only one of them changes). A status that was derived from the timestamps is
   * derived again unless the patch sets one. The id cannot change.
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR; CONFLICT when the new external id is taken.
   */
  async update(id: string, patch: Partial<IncidentInput>): Promise<IncidentRecord> {
    const existing = await this.stored(id);
    const merged: Record<string, unknown> = { ...existing, ...patch, id: existing.id };
    delete merged['ingested_at'];
    delete merged['updated_at'];
    if (patch.status === undefined && existing.status === derivedStatus(existing)) merged['status'] = null;
    const valid = validateOne(merged);
    const externalId = valid.external_id ?? existing.id;
    const now = this.context.now();
    await this.context.db.transaction(async (tx) => {
      const taken = await tx.rows(
        'SELECT 1 FROM incidents WHERE external_id = $external_id AND id <> TRY_CAST($id AS UUID) LIMIT 1',
        { id: existing.id, external_id: externalId },
      );
      if (taken.length > 0) {
        throw new EngineError('CONFLICT', `external_id ${externalId} belongs to another incident`, {
          external_id: externalId,
        });
      }
      const columns = writable.filter((c) => c !== 'id');
      const values: Record<string, unknown> = { ...valid, external_id: externalId };
      // A moved created_at or service leaves the old place (KPI rollups, caches) stale unless announced.
      await this.context.incidentsWritten(tx, {
        vacated: {
          sql: `SELECT date_trunc('hour', created_at) AS hour, service FROM incidents
                WHERE id = TRY_CAST($id AS UUID)
                  AND (created_at IS DISTINCT FROM $created_at OR service IS DISTINCT FROM $service)`,
          params: { id: existing.id, created_at: valid.created_at, service: valid.service ?? null },
        },
      });
      await tx.run(
        `UPDATE incidents SET ${columns.map((c) => `${c} = $${c}`).join(', ')}, updated_at = $now
         WHERE id = TRY_CAST($id AS UUID)`,
        { ...pick(values, columns), id: existing.id, now } as SqlParams,
      );
    });
    return this.get(existing.id);
  }

  /**
   * Deletes an incident.
   *
   * @throws EngineError NOT_FOUND.
   */
  async delete(id: string): Promise<void> {
    const params = { id: String(id).toLowerCase() };
    const deleted = await this.context.db.transaction(async (tx) => {
      await this.context.incidentsWritten(tx, {
        vacated: {
          sql: `SELECT date_trunc('hour', created_at) AS hour, service FROM incidents WHERE id = TRY_CAST($id AS UUID)`,
          params,
        },
      });
      const rows = await tx.rows(
        'DELETE FROM incidents WHERE id = TRY_CAST($id AS UUID) RETURNING CAST(id AS VARCHAR) AS id',
        params,
      );
      return rows.length;
    });
    if (deleted === 0) throw notFound('incident', id);
  }

  /**
   * How many incidents are stored and the range of their creation times, so that a caller can
   * tell "nothing happened in this window" from "the data is elsewhere in time" (the UCI log is
   * from 2016: the last 24 hours of it are empty). One aggregate query.
   */
  async coverage(): Promise<IncidentCoverage> {
    const row = await this.context.db.one<{ n: bigint; first: unknown; last: unknown }>(
      'SELECT count(*) AS n, min(created_at) AS first, max(created_at) AS last FROM incidents',
    );
    const count = Number(row?.n ?? 0);
    return {
      count,
      firstCreatedAt: count > 0 ? toDate(row?.first, 'created_at') : null,
      lastCreatedAt: count > 0 ? toDate(row?.last, 'created_at') : null,
    };
  }

  /** The models capability, which stores predictions on incidents (absent while the engine opens). */
  private predictionReader(): PredictionReader | undefined {
    return this.context.services['models'] as PredictionReader | undefined;
  }

  /**
   * {@link predictionReader} while any prediction is stored, else `undefined` (every incident then
   * shows `predictions: null`, as it would from the reader): whether any is stored is remembered
   * until the predictions table is written, so a page or a detail costs no predictions query
   * before a model has scored anything.
   */
  private async storedPredictionReader(): Promise<PredictionReader | undefined> {
    const reader = this.predictionReader();
    if (!reader) return undefined;
    const sql = 'SELECT EXISTS (SELECT 1 FROM incident_predictions) AS stored';
    const db = this.context.db;
    const stored = await cachedAnswer(db, listCacheKey(sql, {}), async () => {
      return Boolean((await db.one<{ stored: boolean }>(sql))?.stored);
    });
    return stored ? reader : undefined;
  }

  /** Number of stored incidents. */
  async count(): Promise<number> {
    const row = await this.context.db.one<{ n: bigint }>('SELECT count(*) AS n FROM incidents');
    return Number(row?.n ?? 0);
  }
}

function validateOne(input: unknown): ValidIncident {
  const checked = validateBatch({ records: [input], firstRow: 1 });
  const valid = checked.incidents[0];
  if (!valid) {
    const errors = checked.errors.map(({ field, message }) => ({ field, message }));
    const first = errors[0];
    throw new EngineError(
      'VALIDATION_ERROR',
      `invalid incident${first ? `: ${first.field}: ${first.message}` : ''}`,
      { errors },
    );
  }
  return valid;
}

function derivedStatus(r: Incident): string {
  return r.closed_at ? 'CLOSED' : r.resolved_at ? 'RESOLVED' : r.acknowledged_at ? 'ACKNOWLEDGED' : 'OPEN';
}

function pick(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = values[key] ?? null;
  return out;
}

function toDate(value: unknown, parameter: string): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string'
        ? isoToDate(value.trim())
        : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new EngineError('VALIDATION_ERROR', `${parameter} must be an ISO 8601 date-time`, { parameter });
  }
  return date;
}
