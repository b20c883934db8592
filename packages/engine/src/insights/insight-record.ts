import { EngineError } from '../errors.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import { type ConfidenceLevel, confidenceLevels } from './insight-math.ts';

/**
 * The kinds of insight, one per model type that produces them: INCIDENT_FORECAST (incident
 * prediction models), SEVERITY_RISK, ESCALATION_RISK, RESOLUTION_DELAY, COST_FORECAST and
 * ANOMALY_RISK (anomaly detection models).
 */
export const insightTypes = [
  'INCIDENT_FORECAST',
  'SEVERITY_RISK',
  'ESCALATION_RISK',
  'RESOLUTION_DELAY',
  'COST_FORECAST',
  'ANOMALY_RISK',
] as const;

/** One of {@link insightTypes}. */
export type InsightType = (typeof insightTypes)[number];

/**
 * One stored predictive insight: what a model expects, in words for a manager and in numbers.
 * Times are UTC. `prediction_value` holds `{ value, lower, upper, unit, horizon, ... }` (see the
 * insights README for each type); once the window has ended, `actual_value` holds what happened
 * and `accuracy` how close the prediction came (in [0, 1]).
 */
export interface PredictiveInsightRecord {
  id: string;
  /** Id of the model that made it (kept after the model is deleted). */
  model: string | null;
  /** The model's version when it made the insight. */
  model_version: string | null;
  insight_type: InsightType;
  title: string;
  description: string;
  prediction_value: unknown;
  confidence_level: ConfidenceLevel;
  /** In [0, 1]; HIGH from 0.8, MEDIUM from 0.5. */
  confidence_score: number;
  predicted_at: Date;
  prediction_window_start: Date | null;
  prediction_window_end: Date | null;
  /** Incident ids the insight is about (risks), most at risk first. */
  related_incidents: string[];
  affected_services: string[];
  recommendations: string[];
  is_acknowledged: boolean;
  /** User id of who acknowledged it; `null` for the system. */
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  is_validated: boolean;
  validated_at: Date | null;
  actual_value: unknown;
  accuracy: number | null;
  expires_at: Date | null;
  created_at: Date;
  /** `expires_at` is at or before the engine's clock. */
  is_expired: boolean;
}

/** The filters of `engine.insights.list` (query-string text accepted for the booleans). */
export type InsightListFilters = {
  /** One of {@link insightTypes}. */
  readonly insight_type?: string | undefined;
  /** HIGH, MEDIUM or LOW. */
  readonly confidence_level?: string | undefined;
  readonly is_acknowledged?: boolean | string | undefined;
  readonly is_validated?: boolean | string | undefined;
  /** Default false: expired insights are left out. */
  readonly include_expired?: boolean | string | undefined;
};

/** The select list that reads a {@link PredictiveInsightRecord} row with JS-friendly types. */
export const insightSelect = `id::VARCHAR AS id, model_id::VARCHAR AS model, model_version, insight_type,
  title, description, prediction_value::VARCHAR AS prediction_value, confidence_level, confidence_score,
  predicted_at, prediction_window_start, prediction_window_end, related_incidents::VARCHAR[] AS related_incidents,
  affected_services, recommendations, is_acknowledged, acknowledged_by::VARCHAR AS acknowledged_by,
  acknowledged_at, is_validated, validated_at, actual_value::VARCHAR AS actual_value, accuracy, expires_at,
  created_at`;

/** Maps a row read with {@link insightSelect}; `now` decides `is_expired`. */
export function toInsightRecord(row: Row, now: Date): PredictiveInsightRecord {
  const expiresAt = (row['expires_at'] as Date | null) ?? null;
  return {
    id: String(row['id']),
    model: (row['model'] as string | null) ?? null,
    model_version: (row['model_version'] as string | null) ?? null,
    insight_type: row['insight_type'] as InsightType,
    title: String(row['title']),
    description: String(row['description'] ?? ''),
    prediction_value: parseJson(row['prediction_value']),
    confidence_level: row['confidence_level'] as ConfidenceLevel,
    confidence_score: Number(row['confidence_score']),
    predicted_at: row['predicted_at'] as Date,
    prediction_window_start: (row['prediction_window_start'] as Date | null) ?? null,
    prediction_window_end: (row['prediction_window_end'] as Date | null) ?? null,
    related_incidents: (row['related_incidents'] as string[] | null) ?? [],
    affected_services: (row['affected_services'] as string[] | null) ?? [],
    recommendations: (row['recommendations'] as string[] | null) ?? [],
    is_acknowledged: Boolean(row['is_acknowledged']),
    acknowledged_by: (row['acknowledged_by'] as string | null) ?? null,
    acknowledged_at: (row['acknowledged_at'] as Date | null) ?? null,
    is_validated: Boolean(row['is_validated']),
    validated_at: (row['validated_at'] as Date | null) ?? null,
    actual_value: parseJson(row['actual_value']),
    accuracy: row['accuracy'] === null || row['accuracy'] === undefined ? null : Number(row['accuracy']),
    expires_at: expiresAt,
    created_at: row['created_at'] as Date,
    is_expired: expiresAt !== null && expiresAt.getTime() <= now.getTime(),
  };
}

/**
 * How insights are listed at `now`: filters by type, confidence level, acknowledgement and
 * validation; expired insights (`expires_at` ≤ now) only when `includeExpired`; search in the
 * title and description; newest first by default.
 */
export function insightListSpec(now: Date, includeExpired: boolean): ListSpec {
  return {
    from: 'predictive_insights',
    select: insightSelect,
    filters: {
      insight_type: { column: 'insight_type', op: 'eq' },
      confidence_level: { column: 'confidence_level', op: 'eq' },
      is_acknowledged: { column: 'is_acknowledged', op: 'eq' },
      is_validated: { column: 'is_validated', op: 'eq' },
    },
    orderable: {
      predicted_at: 'predicted_at',
      confidence_score: 'confidence_score',
      prediction_window_start: 'prediction_window_start',
      prediction_window_end: 'prediction_window_end',
      expires_at: 'expires_at',
      accuracy: 'accuracy',
      insight_type: 'insight_type',
      confidence_level: 'confidence_level',
      title: 'title',
      created_at: 'created_at',
    },
    searchable: ['title', 'description'],
    defaultOrdering: '-predicted_at',
    // The instant is the engine clock's, written by code in a fixed ISO form, never request text.
    ...(includeExpired ? {} : { where: `expires_at IS NULL OR expires_at > ${timestampLiteral(now)}` }),
  };
}

/**
 * Checks and converts list filters: `insight_type` and `confidence_level` must be known values,
 * the booleans booleans or `'true'`/`'false'`. Unknown filters go on to the list, which refuses
 * them by name.
 *
 * @throws EngineError VALIDATION_ERROR naming the filter.
 */
export function checkInsightFilters(filters: Readonly<Record<string, unknown>>): {
  filters: Record<string, unknown>;
  includeExpired: boolean;
} {
  const out: Record<string, unknown> = {};
  let includeExpired = false;
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    switch (name) {
      case 'insight_type':
        out[name] = oneOf(name, value, insightTypes);
        break;
      case 'confidence_level':
        out[name] = oneOf(name, value, confidenceLevels);
        break;
      case 'is_acknowledged':
      case 'is_validated':
        out[name] = booleanFilter(name, value);
        break;
      case 'include_expired':
        includeExpired = booleanFilter(name, value);
        break;
      default:
        out[name] = value;
    }
  }
  return { filters: out, includeExpired };
}

/** `TIMESTAMP '2024-03-01 12:00:00.000'` for an instant (UTC). */
function timestampLiteral(at: Date): string {
  return `TIMESTAMP '${at.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new EngineError('VALIDATION_ERROR', `${name} must be one of ${allowed.join(', ')}`, {
      parameter: name,
      allowed,
    });
  }
  return value as T;
}

function booleanFilter(name: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new EngineError('VALIDATION_ERROR', `${name} must be true or false`, { parameter: name });
}

function parseJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(String(value));
  } catch {
    return String(value);
  }
}
