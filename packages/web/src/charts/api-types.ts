/**
 * The API's JSON shapes the chart builders read, as the server sends them (times as ISO 8601
 * strings, decimals as strings). Only the fields the charts use are required; records carry more.
 */

/** One stored KPI measurement (`GET /api/analytics/kpi-measurements/`). */
export interface KpiMeasurementJson {
  metric_id?: string;
  metric_name: string;
  metric_type: string;
  /** A decimal as a string; `null` when nothing was measured in the period. */
  value: string | null;
  unit: string;
  period_start: string;
  period_end: string;
  incident_count?: number;
}

/** One line of the KPI summary (`kpi_summary` of the dashboard data, `GET /kpi-metrics/summary/`). */
export interface KpiSummaryItemJson {
  metric_type: string;
  metric_name: string;
  current_value: string | null;
  unit: string;
  trend: 'up' | 'down' | 'stable' | null;
  trend_percentage: string | null;
  period_start: string;
  period_end: string;
  incident_count: number;
  target_value: string | null;
  target_met: boolean | null;
}

/** A stored heatmap (`heatmap_data` of the dashboard data, `GET /api/analytics/heatmap-data/`). */
export interface HeatmapDataJson {
  name: string;
  heatmap_type: string;
  time_granularity: string;
  period_start?: string;
  period_end?: string;
  /** `weekday`, `service` or `category`. */
  row_axis?: string;
  /** `hour_of_day`, `day`, `week` or `month`. */
  column_axis?: string;
  rows: string[];
  columns: string[];
  /** What each row and column is called (`Monday`, `09:00`, a service). */
  labels: { rows: string[]; columns: string[] };
  /** `values[row][column]`; `null` for a cell without a value (MTTR without a resolved incident). */
  values: (number | null)[][];
  sample_counts?: number[][];
  unit: string;
}

/** One anomaly detection (`recent_anomalies` of the dashboard data, `GET /anomaly-detections/`). */
export interface AnomalyJson {
  id: string;
  anomaly_type: string;
  severity: string;
  status: string;
  anomaly_score: number;
  confidence_score?: number;
  detected_at: string;
  time_window_start?: string;
  time_window_end?: string;
  affected_services: string[];
  description: string;
}

/** `cost_summary` of the dashboard data (`GET /cost-analyses/summary/`); amounts as decimal strings. */
export interface CostSummaryJson {
  total_cost: string;
  currency: string;
  downtime_cost: string;
  lost_revenue: string;
  penalty_cost: string;
  resource_cost: string;
  total_downtime_hours: string;
  total_affected_users: number;
  cost_per_hour: string;
  cost_per_user: string;
}

/** One predictive insight (`recent_insights` of the dashboard data, `GET /predictive-insights/`). */
export interface PredictiveInsightJson {
  id: string;
  insight_type: string;
  title: string;
  description?: string;
  /** For forecasts `{ value, lower, upper, unit, horizon, group, ... }`. */
  prediction_value: unknown;
  /** What happened, once validated: for forecasts `{ value, ... }` or a number. */
  actual_value?: unknown;
  confidence_level?: string;
  confidence_score?: number;
  predicted_at: string;
  prediction_window_start: string | null;
  prediction_window_end: string | null;
  is_acknowledged?: boolean;
  is_validated?: boolean;
}
