import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { queryArrow } from '../store/arrow-bridge.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import type { RecurrenceGroup } from './kernels/find-recurrences.ts';
import { checkFilters, checkOptions, type RecurrenceRunOptions } from './recurrence-checks.ts';
import { defaultRecurrenceWindowHours } from './recurrence-defaults.ts';
import { planAnalysis, type WindowIncidents } from './recurrence-plan.ts';
import type { RecurrenceListFilters } from './recurrence-record.ts';
import {
  type RecurrenceAnalysis,
  recurrenceListSpec,
  recurrenceSelect,
  toRecurrenceAnalysis,
} from './recurrence-record.ts';
import { findRecurrencesPayload, findRecurrencesTaskName } from './recurrence-task.ts';
import { runOn, write } from './recurrence-writes.ts';

/** Longest window accepted: 10 years. */
export const maxRecurrenceWindowHours = 87_600;

/** A request to analyse recurrence. */
export interface AnalyzeRecurrenceRequest {
  /** Hours before `end` whose incidents (by created_at) are analysed. Default 720 (30 days). */
  readonly windowHours?: number;
  /** End of the window (UTC instant). Default: the engine's clock. */
  readonly end?: Date;
  /** Smallest group reported (default 2), similarity threshold (default 0.5), cross-service linking. */
  readonly options?: RecurrenceRunOptions;
}

/** What one analysis run did. */
export interface AnalyzeRecurrenceResult {
  readonly windowStart: Date;
  readonly windowEnd: Date;
  /** Incidents created in the window. */
  readonly incidentsScanned: number;
  /** Analyses added, changed, reopened (a subset of changed) and found unchanged. */
  readonly created: number;
  readonly updated: number;
  readonly reopened: number;
  readonly unchanged: number;
  /** Every analysis the run found, highest confidence first. */
  readonly analyses: RecurrenceAnalysis[];
}

/** Who resolves an analysis and why. */
export interface ResolveRecurrenceRequest {
  /** User id (UUID) of the resolver. */
  readonly resolvedBy: string;
  readonly notes?: string | undefined;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Incident recurrence analysis: finds incidents that keep coming back (same fingerprint, similar
 * text, regular schedule), keeps one analysis per pattern across runs, and tracks resolution: a
 * resolved pattern seen again (an occurrence after `resolved_at`) is reopened.
 */
export class RecurrenceService {
  constructor(private readonly context: EngineContext) {}

  /**
   * Analyses the incidents created in `[end − windowHours, end)` (the end is
   * exclusive, as for KPIs and anomaly runs) and upserts one analysis per
   * recurring group. A group updates the analysis with its signature, else the one sharing most of
   * its incidents, else a new one; related incidents accumulate across runs (the union), and the
   * statistics are recomputed in SQL over them. Re-running on the same data changes nothing.
   *
   * @throws EngineError VALIDATION_ERROR for a window that is not a positive number of hours up to
   *   {@link maxRecurrenceWindowHours}, an invalid `end` or out-of-range options.
   */
  async analyze(request: AnalyzeRecurrenceRequest = {}): Promise<AnalyzeRecurrenceResult> {
    const windowHours = request.windowHours ?? defaultRecurrenceWindowHours;
    if (typeof windowHours !== 'number' || !(windowHours > 0) || windowHours > maxRecurrenceWindowHours) {
      throw new EngineError(
        'VALIDATION_ERROR',
        `time window must be a number of hours above 0 and at most ${maxRecurrenceWindowHours}`,
        { parameter: 'time_window', value: windowHours },
      );
    }
    const end = request.end ?? this.context.now();
    if (!(end instanceof Date) || Number.isNaN(end.getTime())) {
      throw new EngineError('VALIDATION_ERROR', 'end must be a valid date', { parameter: 'end' });
    }
    const options = checkOptions(request.options ?? {});
    const start = new Date(end.getTime() - windowHours * 3_600_000);
    // Read through the Arrow bridge: columns, no JS object per incident; only the ids stay here.
    const incidents = await queryArrow(
      this.context.db,
      `SELECT id::VARCHAR AS id, title, description, service, category, epoch_ms(created_at)::DOUBLE AS t
       FROM incidents WHERE created_at >= $start AND created_at < $end ORDER BY created_at, id`,
      { start, end },
    );
    const ids = incidents.getChild('id');
    const window: WindowIncidents = {
      ids: Array.from({ length: incidents.numRows }, (_, i) => String(ids?.get(i))),
      start,
      end,
      options,
    };
    // Text work runs in a worker so the event loop stays free; fewer than two incidents cannot recur.
    const groups =
      incidents.numRows < 2
        ? []
        : await this.context.pool.run<RecurrenceGroup[]>(
            findRecurrencesTaskName,
            findRecurrencesPayload(incidents, options),
          );
    const outcome = await this.upsert(groups, window);
    const analyses = outcome.ids.length
      ? await this.context.db.all(
          `SELECT ${recurrenceSelect} FROM recurrence_analyses WHERE list_contains($ids, id::VARCHAR)
           ORDER BY confidence_score DESC, last_seen DESC, id`,
          { ids: outcome.ids },
        )
      : [];
    return {
      windowStart: start,
      windowEnd: end,
      incidentsScanned: incidents.numRows,
      created: outcome.created,
      updated: outcome.updated,
      reopened: outcome.reopened,
      unchanged: outcome.unchanged,
      analyses: analyses.map(toRecurrenceAnalysis),
    };
  }

  /**
   * One page of analyses. Filters: `recurrence_type` (one of {@link recurrenceTypes}),
   * `min_confidence` (0..1), `is_resolved` (boolean or 'true'/'false'); `search` looks in the
   * description and fingerprint; `ordering` by confidence_score, occurrence_count, first_seen,
   * last_seen, mean_interval_hours, recurrence_type, created_at, updated_at.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown filter, value or ordering; NOT_FOUND for a
   *   page past the end.
   */
  async list(request: ListRequest<RecurrenceListFilters> = {}): Promise<Page<RecurrenceAnalysis>> {
    return listPage(
      this.context.db,
      recurrenceListSpec,
      { ...request, filters: checkFilters(request.filters ?? {}) },
      toRecurrenceAnalysis,
    );
  }

  /** Unresolved analyses only; otherwise as {@link list}. */
  async unresolved(request: ListRequest<RecurrenceListFilters> = {}): Promise<Page<RecurrenceAnalysis>> {
    return this.list({ ...request, filters: { ...request.filters, is_resolved: false } });
  }

  /**
   * One analysis by id.
   *
   * @throws EngineError NOT_FOUND when there is none (or the id is not a UUID).
   */
  async get(id: string): Promise<RecurrenceAnalysis> {
    if (!uuidPattern.test(id)) throw notFound('recurrence analysis', id);
    const row = await this.context.db.one(
      `SELECT ${recurrenceSelect} FROM recurrence_analyses WHERE id = $id::UUID`,
      { id },
    );
    if (!row) throw notFound('recurrence analysis', id);
    return toRecurrenceAnalysis(row);
  }

  /**
   * Marks an analysis resolved now by `resolvedBy`, with optional notes; the resolution is also
   * appended to `metadata.resolutions`. A later occurrence of the pattern reopens it.
   *
   * @throws EngineError NOT_FOUND for an unknown id; CONFLICT when it is already resolved;
   *   VALIDATION_ERROR when `resolvedBy` is not a UUID or the notes are too long.
   */
  async resolve(id: string, request: ResolveRecurrenceRequest): Promise<RecurrenceAnalysis> {
    if (!uuidPattern.test(request.resolvedBy ?? '')) {
      throw new EngineError('VALIDATION_ERROR', 'resolved_by must be a user id (UUID)', {
        parameter: 'resolved_by',
      });
    }
    if (request.notes !== undefined && (typeof request.notes !== 'string' || request.notes.length > 10_000)) {
      throw new EngineError('VALIDATION_ERROR', 'notes must be text of at most 10000 characters', {
        parameter: 'notes',
      });
    }
    if (!uuidPattern.test(id)) throw notFound('recurrence analysis', id);
    const now = this.context.now();
    await this.context.db.transaction(async (tx) => {
      const row = await tx.one(`SELECT ${recurrenceSelect} FROM recurrence_analyses WHERE id = $id::UUID`, {
        id,
      });
      if (!row) throw notFound('recurrence analysis', id);
      const current = toRecurrenceAnalysis(row);
      if (current.is_resolved) {
        throw new EngineError('CONFLICT', `recurrence analysis ${id} is already resolved`, {
          id,
          resolved_at: current.resolved_at,
        });
      }
      const resolutions = Array.isArray(current.metadata['resolutions'])
        ? current.metadata['resolutions']
        : [];
      const metadata = {
        ...current.metadata,
        resolutions: [
          ...resolutions,
          { resolved_at: now.toISOString(), resolved_by: request.resolvedBy, notes: request.notes ?? null },
        ],
      };
      await runOn(
        tx,
        `UPDATE recurrence_analyses SET is_resolved = true, resolved_at = $now, resolved_by = $by::UUID,
           resolution_notes = $notes::VARCHAR, metadata = $metadata::JSON, updated_at = $now
         WHERE id = $id::UUID`,
        { id, now, by: request.resolvedBy, notes: request.notes ?? null, metadata: JSON.stringify(metadata) },
      );
    });
    return this.get(id);
  }

  private upsert(
    groups: RecurrenceGroup[],
    window: WindowIncidents,
  ): Promise<{ ids: string[]; created: number; updated: number; reopened: number; unchanged: number }> {
    const now = this.context.now();
    return this.context.db.transaction(async (tx) => {
      const existing = (await tx.rows(`SELECT ${recurrenceSelect} FROM recurrence_analyses`)).map(
        toRecurrenceAnalysis,
      );
      const planned = await planAnalysis(tx, groups, existing, window, now);
      const counts = { created: 0, updated: 0, reopened: 0, unchanged: 0 };
      for (const plan of planned) {
        counts[plan.action]++;
        if (plan.reopened) counts.reopened++;
        if (plan.action !== 'unchanged') await write(tx, plan, now);
      }
      return { ids: planned.map((p) => p.record.id), ...counts };
    });
  }
}
