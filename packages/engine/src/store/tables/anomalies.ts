/**
 * Anomaly detections with their lifecycle, and the user thresholds the THRESHOLD family reads.
 *
 * `member_series` lists every series key whose detections were merged into the anomaly (the
 * primary `series_key` first); re-runs skip a detection whose series is a member of an anomaly
 * with an overlapping window. `review_outcome` keeps CONFIRMED / FALSE_POSITIVE after the anomaly
 * is resolved, so the false-positive rate survives resolution.
 */
export const anomalyTables = [
  `CREATE TABLE anomaly_detections (
    id UUID PRIMARY KEY,
    model_id UUID,
    anomaly_type VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    series_key VARCHAR NOT NULL DEFAULT '',
    member_series VARCHAR[] NOT NULL DEFAULT [],
    confidence_score DOUBLE NOT NULL,
    anomaly_score DOUBLE NOT NULL,
    threshold_used DOUBLE,
    detected_at TIMESTAMP NOT NULL,
    time_window_start TIMESTAMP NOT NULL,
    time_window_end TIMESTAMP NOT NULL,
    related_incidents UUID[] NOT NULL DEFAULT [],
    affected_services VARCHAR[] NOT NULL DEFAULT [],
    affected_metrics VARCHAR[] NOT NULL DEFAULT [],
    description VARCHAR NOT NULL DEFAULT '',
    root_cause_analysis VARCHAR,
    impact_assessment VARCHAR,
    actions_taken VARCHAR[] NOT NULL DEFAULT [],
    acknowledged_at TIMESTAMP,
    acknowledged_by UUID,
    review_outcome VARCHAR,
    reviewed_at TIMESTAMP,
    reviewed_by UUID,
    resolved_at TIMESTAMP,
    resolved_by UUID,
    metadata JSON
  )`,
  'CREATE INDEX anomaly_detections_window ON anomaly_detections (series_key, time_window_start)',
  `CREATE TABLE anomaly_thresholds (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    series VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    lower DOUBLE,
    upper DOUBLE,
    sensitivity VARCHAR,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_by UUID,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
