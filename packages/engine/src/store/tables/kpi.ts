/**
 * KPI metrics, their measurements, the maintenance windows availability leaves out, and the hourly
 * rollups (with DDSketch bins) that interactive summaries read instead of rescanning incidents.
 */
export const kpiTables = [
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
  'CREATE INDEX kpi_measurements_metric ON kpi_measurements (metric_id, period_start)',
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
  // Hours a rollup key must rebuild although no current row is in them: old created_at hours of
  // moved and deleted incidents, noted by the incident writes and cleared by the rollup refresh.
  `CREATE TABLE kpi_dirty_hours (
    metric_id UUID NOT NULL,
    hour TIMESTAMP NOT NULL
  )`,
];
