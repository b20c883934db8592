import type { AggregationType, MetricType, Priority, Severity } from '../schema/enums.ts';

/** The latest measurement of a metric as the metric record shows it. */
export interface LatestMeasurement {
  /** Decimal as a string (`"15.5"`); `null` when nothing could be measured. */
  value: string | null;
  unit: string;
  calculated_at: Date;
  incident_count: number;
}

/** A KPI metric as the API shows it (the spec's list example plus `target_value`, `services`, `teams`). */
export interface KpiMetric {
  id: string;
  name: string;
  description: string;
  metric_type: MetricType;
  aggregation_type: AggregationType;
  incident_categories: string[];
  incident_severities: Severity[];
  incident_priorities: Priority[];
  services: string[];
  teams: string[];
  calculation_formula: string | null;
  time_window_hours: number;
  /** Decimal as a string, or `null` for no target. */
  target_value: string | null;
  is_active: boolean;
  is_system_metric: boolean;
  /** `"system"` for the built-in metrics, `null` when the creator is unknown. */
  created_by_username: string | null;
  created_at: Date;
  updated_at: Date;
  measurement_count: number;
  latest_measurement: LatestMeasurement | null;
}

/** One stored measurement of a metric over a period `[period_start, period_end)`. */
export interface KpiMeasurement {
  id: string;
  metric_id: string;
  metric_name: string;
  metric_type: MetricType;
  /** Decimal as a string; `null` when nothing could be measured (no samples). */
  value: string | null;
  unit: string;
  period_start: Date;
  period_end: Date;
  incident_count: number;
  sample_count: number;
  calculated_at: Date;
  /** How the value was computed: aggregation, filters, counts left out, breach, ... */
  details: Record<string, unknown>;
}

/** One line of the KPI summary, exactly the spec's fields. */
export interface KpiSummaryItem {
  metric_type: MetricType;
  metric_name: string;
  current_value: string | null;
  unit: string;
  /** `null` when the current or the previous window has no value: no trend can be told. */
  trend: 'up' | 'down' | 'stable' | null;
  /** Change against the previous window of equal length, percent, as a string; `null` when that was 0 or empty. */
  trend_percentage: string | null;
  period_start: Date;
  /** End of the window, exclusive: the last complete hour (UTC), never in the future. */
  period_end: Date;
  /** What `period_end` is: always `last_complete_hour` (the current hour, still filling, is left out). */
  period_end_basis: 'last_complete_hour';
  incident_count: number;
  target_value: string | null;
  /** `null` when there is no value: nothing measured neither meets nor misses a target. */
  target_met: boolean | null;
}

/** A maintenance window: downtime inside it does not count against availability. */
export interface MaintenanceWindow {
  id: string;
  /** The service it applies to; `null` for every service. */
  service: string | null;
  start_at: Date;
  end_at: Date;
  description: string;
  created_at: Date;
}
