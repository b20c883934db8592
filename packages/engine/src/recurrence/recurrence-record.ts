import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import type { RecurrenceType } from './kernels/find-recurrences.ts';

/**
 * One stored recurrence analysis: a group of incidents that keeps coming back. Times are UTC;
 * intervals in hours. `metadata` says what `confidence_score` rests on (`metadata.confidence`),
 * the evidence (`metadata.evidence`), the fingerprints of the group, the analysis window, the
 * algorithm settings, and the history of resolutions and reopenings.
 */
export interface RecurrenceAnalysis {
  id: string;
  recurrence_type: RecurrenceType;
  /** Stable key of the group: its most frequent incident fingerprint (16 hex digits). */
  fingerprint: string;
  /** In [0, 1]; see `metadata.confidence` for its factors. */
  confidence_score: number;
  /** Incident ids, oldest first. */
  related_incidents: string[];
  occurrence_count: number;
  first_seen: Date;
  last_seen: Date;
  /** (last_seen − first_seen) / (occurrences − 1), hours; null with one occurrence. */
  mean_interval_hours: number | null;
  /** Services of the related incidents, sorted. */
  affected_services: string[];
  /** A suggested description in words. */
  description: string;
  metadata: Record<string, unknown>;
  is_resolved: boolean;
  resolved_at: Date | null;
  /** User id of the resolver. */
  resolved_by: string | null;
  resolution_notes: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The select list that reads a {@link RecurrenceAnalysis} row with JS-friendly types. */
export const recurrenceSelect = `id::VARCHAR AS id, recurrence_type, fingerprint, confidence_score,
  related_incidents::VARCHAR[] AS related_incidents, occurrence_count, first_seen, last_seen,
  mean_interval_hours, affected_services, description, metadata::VARCHAR AS metadata, is_resolved,
  resolved_at, resolved_by::VARCHAR AS resolved_by, resolution_notes, created_at, updated_at`;

/** Maps a row read with {@link recurrenceSelect}. */
export function toRecurrenceAnalysis(row: Row): RecurrenceAnalysis {
  return {
    id: String(row['id']),
    recurrence_type: row['recurrence_type'] as RecurrenceType,
    fingerprint: String(row['fingerprint']),
    confidence_score: Number(row['confidence_score']),
    related_incidents: (row['related_incidents'] as string[] | null) ?? [],
    occurrence_count: Number(row['occurrence_count']),
    first_seen: row['first_seen'] as Date,
    last_seen: row['last_seen'] as Date,
    mean_interval_hours: row['mean_interval_hours'] === null ? null : Number(row['mean_interval_hours']),
    affected_services: (row['affected_services'] as string[] | null) ?? [],
    description: String(row['description'] ?? ''),
    metadata: row['metadata'] ? (JSON.parse(String(row['metadata'])) as Record<string, unknown>) : {},
    is_resolved: Boolean(row['is_resolved']),
    resolved_at: (row['resolved_at'] as Date | null) ?? null,
    resolved_by: (row['resolved_by'] as string | null) ?? null,
    resolution_notes: (row['resolution_notes'] as string | null) ?? null,
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}

/** The filters of `engine.recurrence.list` and `unresolved` (see {@link recurrenceListSpec}). */
export type RecurrenceListFilters = {
  /** One of `recurrenceTypes`. */
  readonly recurrence_type?: string | undefined;
  /** Confidence score at least this, 0..1 (a number or its text). */
  readonly min_confidence?: number | string | undefined;
  /** A boolean, or `'true'`/`'false'`. */
  readonly is_resolved?: boolean | string | undefined;
};

/**
 * How recurrence analyses are listed: filters `recurrence_type` (exact), `min_confidence`
 * (confidence_score ≥ value) and `is_resolved`; search in the description and fingerprint;
 * ordering by the fields below; newest pattern activity first by default.
 */
export const recurrenceListSpec: ListSpec = {
  from: 'recurrence_analyses',
  select: recurrenceSelect,
  filters: {
    recurrence_type: { column: 'recurrence_type', op: 'eq' },
    min_confidence: { column: 'confidence_score', op: 'gte' },
    is_resolved: { column: 'is_resolved', op: 'eq' },
  },
  orderable: {
    confidence_score: 'confidence_score',
    occurrence_count: 'occurrence_count',
    first_seen: 'first_seen',
    last_seen: 'last_seen',
    mean_interval_hours: 'mean_interval_hours',
    recurrence_type: 'recurrence_type',
    created_at: 'created_at',
    updated_at: 'updated_at',
  },
  searchable: ['description', 'fingerprint'],
  defaultOrdering: '-last_seen',
};
