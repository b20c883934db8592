import type { AnomalySeverity, AnomalyStatus, AnomalyType } from '../../schema/enums.ts';
import type { Row } from '../../store/database.ts';

/**
 * One anomaly as the spec's "Anomaly Detection" record, plus the lifecycle fields we keep
 * (`series_key`, `acknowledged_at`, `acknowledged_by`, `review_outcome`, `reviewed_at`, `reviewed_by`).
 * Scores are unitless; `confidence_score` is in [0, 1]; timestamps are UTC instants.
 */
export interface AnomalyDetection {
  id: string;
  /** The ANOMALY_DETECTION predictive model whose configuration produced it. */
  model: string | null;
  anomaly_type: AnomalyType;
  severity: AnomalySeverity;
  status: AnomalyStatus;
  confidence_score: number;
  anomaly_score: number;
  threshold_used: number | null;
  detected_at: Date;
  time_window_start: Date;
  time_window_end: Date;
  related_incidents: string[];
  affected_services: string[];
  affected_metrics: string[];
  description: string;
  /** A short paragraph from the run (`metadata.root_cause` holds the evidence), or the resolver's. */
  root_cause_analysis: string | null;
  /** A short paragraph from the run (`metadata.impact` holds the figures), or the resolver's. */
  impact_assessment: string | null;
  /** Action notes in the order taken, each `"<ISO time> <username or user id>: <note>"`. */
  actions_taken: string[];
  resolved_at: Date | null;
  resolved_by: string | null;
  /**
   * Expected value, band, method(s), series keys and the detector settings that produced it;
   * `root_cause` and `impact` (the evidence behind the two paragraphs); `actions` (one
   * `{ at, by, user, action, note }` per action note).
   */
  metadata: Record<string, unknown>;
  /** The series the anomaly was found on (e.g. `incident_count:hour:service=checkout`). */
  series_key: string;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  /** CONFIRMED or FALSE_POSITIVE once reviewed; kept after resolution. */
  review_outcome: 'CONFIRMED' | 'FALSE_POSITIVE' | null;
  reviewed_at: Date | null;
  reviewed_by: string | null;
}

/** The select list that reads a row in the shape {@link rowToAnomaly} expects. */
export const anomalySelect = `id::VARCHAR AS id, model_id::VARCHAR AS model_id, anomaly_type, severity, status,
  confidence_score, anomaly_score, threshold_used, detected_at, time_window_start, time_window_end,
  related_incidents::VARCHAR[] AS related_incidents, affected_services, affected_metrics, description,
  root_cause_analysis, impact_assessment, actions_taken, resolved_at, resolved_by::VARCHAR AS resolved_by,
  metadata::VARCHAR AS metadata, series_key, acknowledged_at, acknowledged_by::VARCHAR AS acknowledged_by,
  review_outcome, reviewed_at, reviewed_by::VARCHAR AS reviewed_by`;

/** Maps a row read with {@link anomalySelect} to the record. */
export function rowToAnomaly(r: Row): AnomalyDetection {
  return {
    id: String(r['id']),
    model: (r['model_id'] as string | null) ?? null,
    anomaly_type: r['anomaly_type'] as AnomalyType,
    severity: r['severity'] as AnomalySeverity,
    status: r['status'] as AnomalyStatus,
    confidence_score: Number(r['confidence_score']),
    anomaly_score: Number(r['anomaly_score']),
    threshold_used: r['threshold_used'] === null ? null : Number(r['threshold_used']),
    detected_at: r['detected_at'] as Date,
    time_window_start: r['time_window_start'] as Date,
    time_window_end: r['time_window_end'] as Date,
    related_incidents: (r['related_incidents'] as string[] | null) ?? [],
    affected_services: (r['affected_services'] as string[] | null) ?? [],
    affected_metrics: (r['affected_metrics'] as string[] | null) ?? [],
    description: String(r['description'] ?? ''),
    root_cause_analysis: (r['root_cause_analysis'] as string | null) ?? null,
    impact_assessment: (r['impact_assessment'] as string | null) ?? null,
    actions_taken: (r['actions_taken'] as string[] | null) ?? [],
    resolved_at: (r['resolved_at'] as Date | null) ?? null,
    resolved_by: (r['resolved_by'] as string | null) ?? null,
    metadata: r['metadata'] ? (JSON.parse(String(r['metadata'])) as Record<string, unknown>) : {},
    series_key: String(r['series_key'] ?? ''),
    acknowledged_at: (r['acknowledged_at'] as Date | null) ?? null,
    acknowledged_by: (r['acknowledged_by'] as string | null) ?? null,
    review_outcome: (r['review_outcome'] as 'CONFIRMED' | 'FALSE_POSITIVE' | null) ?? null,
    reviewed_at: (r['reviewed_at'] as Date | null) ?? null,
    reviewed_by: (r['reviewed_by'] as string | null) ?? null,
  };
}
