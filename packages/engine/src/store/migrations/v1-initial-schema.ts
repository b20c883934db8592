/**
 * Migration 1, frozen: the schema as released, written out in full. It is never regenerated from
 * code, so no later edit anywhere can change what an existing database was created with; a change
 * to a table is a new migration (see `../migrations.ts`). The groups below say which capability
 * each table serves.
 */

/**
 * The incident table (its columns are those of `schema/incident.ts` at release). No unique index on external_id:
 * ingestion upserts with MERGE on it, which keeps bulk loads of millions of rows fast.
 */
export const incidentTables: readonly string[] = [
  `CREATE TABLE incidents (
    id UUID NOT NULL,
    external_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    description VARCHAR,
    category VARCHAR,
    subcategory VARCHAR,
    severity VARCHAR NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    priority VARCHAR CHECK (priority IN ('P1', 'P2', 'P3', 'P4', 'P5')),
    status VARCHAR NOT NULL CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED')),
    service VARCHAR,
    team VARCHAR,
    created_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    escalation_level INTEGER NOT NULL,
    reopen_count INTEGER NOT NULL,
    reassignment_count INTEGER NOT NULL,
    affected_users INTEGER,
    tags VARCHAR[],
    ingested_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];

/** Users, API tokens and browser sessions. Secrets are stored only as hashes. */
const authTables: readonly string[] = [
  `CREATE TABLE users (
    id UUID PRIMARY KEY,
    username VARCHAR NOT NULL UNIQUE,
    email VARCHAR,
    password_hash VARCHAR,
    role VARCHAR NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE api_tokens (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    name VARCHAR,
    token_prefix VARCHAR NOT NULL,
    token_hash VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
  )`,
  `CREATE TABLE sessions (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    session_hash VARCHAR NOT NULL UNIQUE,
    csrf_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
  )`,
];

/**
 * KPI metrics, their measurements, the maintenance windows availability leaves out, and the hourly
 * rollups (with DDSketch bins) that interactive summaries read instead of rescanning incidents.
 */
const kpiTables: readonly string[] = [
  `CREATE TABLE kpi_metrics (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    metric_type VARCHAR NOT NULL,
    aggregation_type VARCHAR NOT NULL,
    incident_categories VARCHAR[] NOT NULL DEFAULT [],
    incident_severities VARCHAR[] NOT NULL DEFAULT [],
    incident_priorities VARCHAR[] NOT NULL DEFAULT [],
    services VARCHAR[] NOT NULL DEFAULT [],
    teams VARCHAR[] NOT NULL DEFAULT [],
    calculation_formula VARCHAR,
    time_window_hours INTEGER NOT NULL,
    target_value DOUBLE,
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_system_metric BOOLEAN NOT NULL DEFAULT false,
    created_by UUID,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE kpi_measurements (
    id UUID PRIMARY KEY,
    metric_id UUID NOT NULL,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    incident_count INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    calculated_at TIMESTAMP NOT NULL,
    details JSON
  )`,
  `CREATE INDEX kpi_measurements_metric ON kpi_measurements (metric_id, period_start)`,
  `CREATE TABLE maintenance_windows (
    id UUID PRIMARY KEY,
    service VARCHAR,
    start_at TIMESTAMP NOT NULL,
    end_at TIMESTAMP NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE kpi_rollups (
    metric_id UUID NOT NULL,
    series INTEGER NOT NULL,
    bucket TIMESTAMP NOT NULL,
    incident_count BIGINT NOT NULL,
    numerator BIGINT NOT NULL,
    sample_count BIGINT NOT NULL,
    sample_sum DOUBLE,
    sample_min DOUBLE,
    sample_max DOUBLE
  )`,
  `CREATE TABLE kpi_rollup_bins (
    metric_id UUID NOT NULL,
    series INTEGER NOT NULL,
    bucket TIMESTAMP NOT NULL,
    bin INTEGER NOT NULL,
    n BIGINT NOT NULL,
    xmin DOUBLE NOT NULL,
    xmax DOUBLE NOT NULL
  )`,
  `CREATE TABLE kpi_rollup_state (
    metric_id UUID PRIMARY KEY,
    definition VARCHAR NOT NULL,
    watermark TIMESTAMP,
    row_count BIGINT NOT NULL,
    refreshed_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE kpi_dirty_hours (
    metric_id UUID NOT NULL,
    hour TIMESTAMP NOT NULL
  )`,
];

/**
 * Incident recurrence analyses: groups of incidents that keep coming back.
 *
 * `fingerprint` is the analysis' stable key (the signature of its group: the most frequent
 * incident fingerprint of the group). Re-runs update the row with the same signature (or, when the
 * group drifted, the row sharing the most incidents) instead of adding one, so the service keeps it
 * unique (no unique index: DuckDB checks index constraints eagerly, which breaks updating a key
 * inside the transaction that reads it). `resolution_notes` is what the resolver wrote.
 */
const recurrenceTables: readonly string[] = [
  `CREATE TABLE recurrence_analyses (
    id UUID PRIMARY KEY,
    recurrence_type VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    confidence_score DOUBLE NOT NULL,
    related_incidents UUID[] NOT NULL,
    occurrence_count INTEGER NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    mean_interval_hours DOUBLE,
    affected_services VARCHAR[] NOT NULL DEFAULT [],
    description VARCHAR NOT NULL DEFAULT '',
    metadata JSON,
    is_resolved BOOLEAN NOT NULL DEFAULT false,
    resolved_at TIMESTAMP,
    resolved_by UUID,
    resolution_notes VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];

/**
 * Anomaly detections with their lifecycle, and the user thresholds the THRESHOLD family reads.
 *
 * `member_series` lists every series key whose detections were merged into the anomaly (the
 * primary `series_key` first); re-runs skip a detection whose series is a member of an anomaly
 * with an overlapping window. `review_outcome` keeps CONFIRMED / FALSE_POSITIVE after the anomaly
 * is resolved, so the false-positive rate survives resolution.
 */
const anomalyTables: readonly string[] = [
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
  `CREATE INDEX anomaly_detections_window ON anomaly_detections (series_key, time_window_start)`,
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

/** Predictive models and the insights they produce. The trained artefact is stored with the model. */
const modelTables: readonly string[] = [
  `CREATE TABLE predictive_models (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    model_type VARCHAR NOT NULL,
    algorithm_type VARCHAR NOT NULL,
    model_config JSON NOT NULL DEFAULT '{}',
    feature_columns VARCHAR[] NOT NULL DEFAULT [],
    target_column VARCHAR,
    training_data_period_days INTEGER NOT NULL DEFAULT 90,
    min_training_samples INTEGER NOT NULL DEFAULT 100,
    accuracy_score DOUBLE,
    precision_score DOUBLE,
    recall_score DOUBLE,
    f1_score DOUBLE,
    status VARCHAR NOT NULL,
    version VARCHAR NOT NULL DEFAULT '0',
    model_file_path VARCHAR,
    artifact BLOB,
    metrics JSON,
    last_trained_at TIMESTAMP,
    training_duration_seconds INTEGER,
    training_samples_count INTEGER,
    auto_retrain_enabled BOOLEAN NOT NULL DEFAULT false,
    retrain_frequency_days INTEGER NOT NULL DEFAULT 7,
    performance_threshold DOUBLE NOT NULL DEFAULT 0.7,
    is_system_model BOOLEAN NOT NULL DEFAULT false,
    created_by UUID,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE predictive_insights (
    id UUID PRIMARY KEY,
    model_id UUID,
    insight_type VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    prediction_value JSON,
    confidence_level VARCHAR NOT NULL,
    confidence_score DOUBLE NOT NULL,
    predicted_at TIMESTAMP NOT NULL,
    prediction_window_start TIMESTAMP,
    prediction_window_end TIMESTAMP,
    related_incidents UUID[] NOT NULL DEFAULT [],
    affected_services VARCHAR[] NOT NULL DEFAULT [],
    recommendations VARCHAR[] NOT NULL DEFAULT [],
    is_acknowledged BOOLEAN NOT NULL DEFAULT false,
    acknowledged_by UUID,
    acknowledged_at TIMESTAMP,
    is_validated BOOLEAN NOT NULL DEFAULT false,
    validated_at TIMESTAMP,
    actual_value JSON,
    accuracy DOUBLE,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
  )`,
];

/** Cost impact analyses per incident. Money is DECIMAL, never floating point. */
const costTables: readonly string[] = [
  `CREATE TABLE cost_analyses (
    id UUID PRIMARY KEY,
    incident_id UUID NOT NULL,
    cost_type VARCHAR NOT NULL,
    cost_amount DECIMAL(18, 2) NOT NULL,
    currency VARCHAR NOT NULL DEFAULT 'USD',
    calculation_method VARCHAR NOT NULL DEFAULT '',
    calculation_details JSON,
    downtime_hours DECIMAL(18, 4),
    affected_users INTEGER,
    revenue_impact DECIMAL(18, 2),
    business_unit VARCHAR,
    service_tier VARCHAR,
    is_validated BOOLEAN NOT NULL DEFAULT false,
    validated_by UUID,
    validated_at TIMESTAMP,
    validation_notes VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];

/** Dashboard configurations and precomputed heatmaps. */
const dashboardTables: readonly string[] = [
  `CREATE TABLE dashboard_configurations (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    dashboard_type VARCHAR NOT NULL,
    layout_config JSON NOT NULL DEFAULT '{}',
    widget_configs JSON NOT NULL DEFAULT '[]',
    is_public BOOLEAN NOT NULL DEFAULT false,
    allowed_roles VARCHAR[] NOT NULL DEFAULT [],
    auto_refresh_enabled BOOLEAN NOT NULL DEFAULT true,
    refresh_interval_seconds INTEGER NOT NULL DEFAULT 300,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_by UUID,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE heatmap_data (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    heatmap_type VARCHAR NOT NULL,
    time_granularity VARCHAR NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    data_points JSON NOT NULL,
    color_scheme VARCHAR NOT NULL DEFAULT 'viridis',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];

/** The outbox of domain events, and the webhook subscriptions that deliver them. */
const eventTables: readonly string[] = [
  `CREATE TABLE events (
    id UUID PRIMARY KEY,
    seq BIGINT NOT NULL,
    event_type VARCHAR NOT NULL,
    payload JSON NOT NULL,
    created_at TIMESTAMP NOT NULL
  )`,
  `CREATE SEQUENCE events_seq START 1`,
  `CREATE TABLE webhooks (
    id UUID PRIMARY KEY,
    url VARCHAR NOT NULL,
    event_types VARCHAR[] NOT NULL,
    secret VARCHAR NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_delivered_seq BIGINT NOT NULL DEFAULT 0,
    created_by UUID,
    created_at TIMESTAMP NOT NULL
  )`,
];

/** Every statement of migration 1, in the order they run. */
export const initialSchema: readonly string[] = [
  ...incidentTables,
  ...authTables,
  ...kpiTables,
  ...recurrenceTables,
  ...anomalyTables,
  ...modelTables,
  ...costTables,
  ...dashboardTables,
  ...eventTables,
];
