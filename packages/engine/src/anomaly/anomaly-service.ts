import { z } from 'zod';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { zodIssuesToFieldErrors } from '../input/field-errors.ts';
import { type AnomalyStatus, anomalySeverities, anomalyStatuses, anomalyTypes } from '../schema/enums.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../store/list-query.ts';
import type { Detection, DetectOptions, SeriesInput } from './detect/detect.ts';
import { detectManySeries } from './detect/detect-many.ts';
import { type AnomalyDetection, anomalySelect, rowToAnomaly } from './persist/anomaly-record.ts';
import { type AnomalySummary, readAnomalySummary } from './persist/anomaly-summary.ts';
import { AnomalyThresholdStore } from './persist/anomaly-thresholds.ts';
import {
  type AnomalyAction,
  actionNoteSchema,
  actionNotesUpdate,
  nextStatus,
  parseNotes,
} from './persist/lifecycle.ts';
import { type AnomalyRunOptions, type AnomalyRunResult, runAnomalyDetection } from './run/anomaly-run.ts';

const listSpec: ListSpec = {
  from: 'anomaly_detections',
  select: anomalySelect,
  filters: {
    anomaly_type: { column: 'anomaly_type', op: 'eq' },
    severity: { column: 'severity', op: 'eq' },
    status: { column: 'status', op: 'eq' },
    start_date: { column: 'detected_at', op: 'gte' },
    end_date: { column: 'detected_at', op: 'lte' },
    end_before: { column: 'detected_at', op: 'lt' },
  },
  orderable: {
    detected_at: 'detected_at',
    time_window_start: 'time_window_start',
    anomaly_score: 'anomaly_score',
    confidence_score: 'confidence_score',
    severity: "list_position(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'], severity)",
    status: 'status',
    anomaly_type: 'anomaly_type',
  },
  searchable: ['description'],
  defaultOrdering: '-detected_at,-time_window_start',
};

const uuid = z.uuid();
const userId = uuid.nullish();
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** Who takes a lifecycle action, and the note they leave (appended to `actions_taken`). */
export interface AnomalyActor {
  /** The acting user's id; recorded as the acknowledger, reviewer or resolver. */
  by?: string | null | undefined;
  /** An action note, at most 2,000 characters; blank or absent adds nothing. */
  note?: string | null | undefined;
}

/**
 * Body of `resolve`: the spec's resolution fields, in camelCase (stored as `resolved_by`,
 * `root_cause_analysis`, `impact_assessment`, `actions_taken`). `actionsTaken` may be one string or
 * a list; each entry, then `note`, is appended to `actions_taken` with who and when.
 */
export const anomalyResolveSchema = z.object({
  resolvedBy: userId,
  note: actionNoteSchema,
  rootCauseAnalysis: z.string().trim().max(20_000).nullish(),
  impactAssessment: z.string().trim().max(20_000).nullish(),
  actionsTaken: z
    .union([z.string().trim().max(2_000), z.array(z.string().trim().max(2_000)).max(100)])
    .nullish()
    .transform((v) => (v == null ? [] : typeof v === 'string' ? (v ? [v] : []) : v)),
});

/** Input of `resolve` before validation. */
export type AnomalyResolveInput = z.input<typeof anomalyResolveSchema>;

/** Filters of {@link AnomalyService.list}: enum values as in the spec, dates as ISO strings or `Date`s. */
export interface AnomalyListFilters {
  anomaly_type?: string | undefined;
  severity?: string | undefined;
  status?: string | undefined;
  /** Detected at or after; a date alone means its midnight UTC. */
  start_date?: string | Date | undefined;
  /** Detected at or before; a date alone includes that whole day. */
  end_date?: string | Date | undefined;
}

/**
 * Anomaly detection as a capability: detectors on any series (`detect`), the incident run
 * (`run`), the stored anomalies with their lifecycle, the summary, and user thresholds.
 */
export class AnomalyService {
  /** Static and dynamic thresholds the THRESHOLD family applies. */
  readonly thresholds: AnomalyThresholdStore;

  constructor(private readonly context: EngineContext) {
    this.thresholds = new AnomalyThresholdStore(context.db, context.now);
  }

  /**
   * Runs the detectors over series the caller holds (not only incidents), many at once through the
   * worker pool, and returns the detections with scores and windows.
   *
   * @throws EngineError VALIDATION_ERROR for a malformed series.
   */
  async detect(series: readonly SeriesInput[], options: DetectOptions = {}): Promise<Detection[]> {
    return detectManySeries(this.context.pool, series, options);
  }

  /** See {@link runAnomalyDetection}. */
  async run(options: AnomalyRunOptions = {}): Promise<AnomalyRunResult> {
    return runAnomalyDetection(this.context, (series, options) => this.detect(series, options), options);
  }

  /**
   * One page of anomalies, newest detection first by default.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown enum value, date, filter or ordering.
   */
  async list(request: ListRequest<AnomalyListFilters> = {}): Promise<Page<AnomalyDetection>> {
    const f = request.filters ?? {};
    const filters: Record<string, unknown> = {
      anomaly_type: oneOf('anomaly_type', f.anomaly_type, anomalyTypes),
      severity: oneOf('severity', f.severity, anomalySeverities),
      status: oneOf('status', f.status, anomalyStatuses),
      start_date: toDate('start_date', f.start_date),
    };
    if (typeof f.end_date === 'string' && dateOnly.test(f.end_date.trim())) {
      filters['end_before'] = new Date(toDate('end_date', f.end_date)!.getTime() + 86_400_000);
    } else {
      filters['end_date'] = toDate('end_date', f.end_date);
    }
    return listPage(this.context.db, listSpec, { ...request, filters }, rowToAnomaly);
  }

  /** @throws EngineError NOT_FOUND */
  async get(id: string): Promise<AnomalyDetection> {
    if (!uuid.safeParse(id).success) throw notFound('anomaly', id);
    const row = await this.context.db.one(
      `SELECT ${anomalySelect} FROM anomaly_detections WHERE id = $id::UUID`,
      {
        id,
      },
    );
    if (!row) throw notFound('anomaly', id);
    return rowToAnomaly(row);
  }

  /** The spec's summary over every stored anomaly; see {@link AnomalySummary}. */
  summary(): Promise<AnomalySummary> {
    return readAnomalySummary(this.context.db);
  }

  /**
   * DETECTED → INVESTIGATING (someone is investigating); records who and when, and appends the
   * action note, if any, to `actions_taken` (see {@link AnomalyService.resolve}).
   *
   * @throws EngineError VALIDATION_ERROR for a bad user id or note; NOT_FOUND; CONFLICT from any other status.
   */
  async acknowledge(id: string, actor: AnomalyActor = {}): Promise<AnomalyDetection> {
    const by = parseActor(actor.by);
    return this.transition(
      id,
      'acknowledge',
      'acknowledged_at = $now, acknowledged_by = $by::UUID',
      { by },
      parseNotes([actor.note]),
    );
  }

  /**
   * DETECTED or INVESTIGATING → CONFIRMED (a real anomaly), with an optional action note.
   *
   * @throws EngineError VALIDATION_ERROR for a bad user id or note; NOT_FOUND; CONFLICT from any other status.
   */
  async confirm(id: string, actor: AnomalyActor = {}): Promise<AnomalyDetection> {
    return this.review(id, 'confirm', 'CONFIRMED', parseActor(actor.by), parseNotes([actor.note]));
  }

  /**
   * DETECTED or INVESTIGATING → FALSE_POSITIVE (counted in the summary's false-positive rate),
   * with an optional action note.
   *
   * @throws EngineError VALIDATION_ERROR for a bad user id or note; NOT_FOUND; CONFLICT from any other status.
   */
  async markFalsePositive(id: string, actor: AnomalyActor = {}): Promise<AnomalyDetection> {
    return this.review(
      id,
      'mark_false_positive',
      'FALSE_POSITIVE',
      parseActor(actor.by),
      parseNotes([actor.note]),
    );
  }

  /**
   * Any status but RESOLVED → RESOLVED, recording resolved_at (the engine clock), resolved_by,
   * and root_cause_analysis and impact_assessment when given (left out, the ones the run stored
   * stay). Each of `actionsTaken`, then `note`, is appended
   * (never replacing what earlier actions left) to `actions_taken` as
   * `"<ISO time> <username, or user id, or system>: <text>"` and to `metadata.actions` as
   * `{ at, by, user, action, note }`, as every lifecycle action does with its note.
   *
   * @throws EngineError VALIDATION_ERROR for a bad body; NOT_FOUND; CONFLICT when already resolved.
   */
  async resolve(id: string, input: AnomalyResolveInput = {}): Promise<AnomalyDetection> {
    const parsed = anomalyResolveSchema.safeParse(input);
    if (!parsed.success) {
      throw new EngineError('VALIDATION_ERROR', 'invalid resolution', {
        errors: zodIssuesToFieldErrors(parsed.error.issues),
      });
    }
    const r = parsed.data;
    const by = r.resolvedBy ?? null;
    return this.transition(
      id,
      'resolve',
      `resolved_at = $now, resolved_by = $by::UUID, root_cause_analysis = coalesce($rca, root_cause_analysis),
       impact_assessment = coalesce($impact, impact_assessment)`,
      { by, rca: r.rootCauseAnalysis ?? null, impact: r.impactAssessment ?? null },
      [...r.actionsTaken.filter((a) => a !== ''), ...(r.note ? [r.note] : [])],
    );
  }

  private review(
    id: string,
    action: AnomalyAction,
    outcome: 'CONFIRMED' | 'FALSE_POSITIVE',
    by: string | null,
    notes: string[],
  ): Promise<AnomalyDetection> {
    return this.transition(
      id,
      action,
      `review_outcome = $outcome, reviewed_at = $now, reviewed_by = $by::UUID,
       acknowledged_at = coalesce(acknowledged_at, $now), acknowledged_by = coalesce(acknowledged_by, $by::UUID)`,
      { outcome, by },
      notes,
    );
  }

  /**
   * Checks and applies one lifecycle step in a transaction, so concurrent actions cannot both
   * pass; `notes` are appended with who and when (see {@link actionNotesUpdate}).
   */
  private async transition(
    id: string,
    action: AnomalyAction,
    set: string,
    params: Record<string, string | string[] | null>,
    notes: readonly string[],
  ): Promise<AnomalyDetection> {
    if (!uuid.safeParse(id).success) throw notFound('anomaly', id);
    await this.context.db.transaction(async (tx) => {
      const row = await tx.one(
        'SELECT status, metadata::VARCHAR AS metadata FROM anomaly_detections WHERE id = $id::UUID',
        {
          id,
        },
      );
      const current = row?.['status'] as AnomalyStatus | undefined;
      if (!row || !current) throw notFound('anomaly', id);
      const to = nextStatus(id, current, action);
      const now = this.context.now();
      const by = typeof params['by'] === 'string' ? params['by'] : null;
      const notesUpdate = await actionNotesUpdate(tx, {
        notes,
        at: now,
        by,
        action,
        metadata: row['metadata'],
      });
      await tx.run(
        `UPDATE anomaly_detections SET status = $to, ${set}${notesUpdate.set} WHERE id = $id::UUID`,
        {
          ...params,
          ...notesUpdate.params,
          id,
          to,
          now,
        },
      );
    });
    return this.get(id);
  }
}

function oneOf(field: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toUpperCase();
  if (!allowed.includes(v)) {
    throw new EngineError('VALIDATION_ERROR', `${field} must be one of ${allowed.join(', ')}`, {
      parameter: field,
      allowed,
    });
  }
  return v;
}

function toDate(field: string, value: string | Date | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value.trim() : value;
  const date =
    text instanceof Date
      ? text
      : new Date(dateOnly.test(text) || /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) {
    throw new EngineError('VALIDATION_ERROR', `${field} is not a valid date`, { parameter: field });
  }
  return date;
}

function parseActor(by: string | null | undefined): string | null {
  if (by == null) return null;
  if (!uuid.safeParse(by).success) {
    throw new EngineError('VALIDATION_ERROR', 'the acting user id is not a UUID', { field: 'by' });
  }
  return by;
}
