/**
 * Hand-written API records for the chart and report tests, with the fields and formats the server
 * sends (`packages/server/src/routes/*-schemas.ts`): ISO times, decimals as strings.
 */
import type {
  AnomalyJson,
  CostSummaryJson,
  HeatmapDataJson,
  KpiMeasurementJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from '../src/charts/index.ts';
import type { DashboardConfigJson, DashboardDataJson } from '../src/report/index.ts';

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** An HOURLY incident-frequency heatmap: weekday × hour, value = weekday number × hour. */
export const hourlyHeatmap: HeatmapDataJson = {
  name: 'Incident frequency by weekday and hour of day',
  heatmap_type: 'INCIDENT_FREQUENCY',
  time_granularity: 'HOURLY',
  period_start: '2024-02-05T00:00:00.000Z',
  period_end: '2024-03-04T00:00:00.000Z',
  row_axis: 'weekday',
  column_axis: 'hour_of_day',
  rows: ['1', '2', '3', '4', '5', '6', '7'],
  columns: Array.from({ length: 24 }, (_, h) => String(h)),
  labels: {
    rows: weekdays,
    columns: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
  },
  values: weekdays.map((_, d) => Array.from({ length: 24 }, (_, h) => (d + 1) * h)),
  sample_counts: weekdays.map((_, d) => Array.from({ length: 24 }, (_, h) => (d + 1) * h)),
  unit: 'incidents',
};

/** A DAILY MTTR heatmap (service × day) with a cell without a value. */
export const mttrHeatmap: HeatmapDataJson = {
  name: 'MTTR by service and day',
  heatmap_type: 'RESOLUTION_TIME',
  time_granularity: 'DAILY',
  row_axis: 'service',
  column_axis: 'day',
  rows: ['payments', ''],
  columns: ['2024-03-01', '2024-03-02'],
  labels: { rows: ['payments', '(no service)'], columns: ['Fri 01 Mar 2024', 'Sat 02 Mar 2024'] },
  values: [
    [2.5, null],
    [1, 4],
  ],
  unit: 'hours',
};

function measurement(metric: string, type: string, unit: string, end: string, value: string | null) {
  const start = new Date(Date.parse(end) - 24 * 3600_000).toISOString();
  return { metric_name: metric, metric_type: type, value, unit, period_start: start, period_end: end };
}

/** Three daily MTTR measurements and two MTTA ones, one of them without a value. */
export const measurements: KpiMeasurementJson[] = [
  measurement('Mean time to resolve', 'MTTR', 'hours', '2024-03-02T00:00:00.000Z', '4.5'),
  measurement('Mean time to resolve', 'MTTR', 'hours', '2024-03-01T00:00:00.000Z', '5.25'),
  measurement('Mean time to resolve', 'MTTR', 'hours', '2024-03-03T00:00:00.000Z', '3.75'),
  measurement('Mean time to acknowledge', 'MTTA', 'minutes', '2024-03-01T00:00:00.000Z', '12'),
  measurement('Mean time to acknowledge', 'MTTA', 'minutes', '2024-03-02T00:00:00.000Z', null),
];

/** The KPI summary lines of MTTR and MTTA. */
const kpiSummary: KpiSummaryItemJson[] = [
  {
    metric_type: 'MTTR',
    metric_name: 'Mean time to resolve',
    current_value: '3.75',
    unit: 'hours',
    trend: 'down',
    trend_percentage: '-16.67',
    period_start: '2024-03-02T00:00:00.000Z',
    period_end: '2024-03-03T00:00:00.000Z',
    incident_count: 40,
    target_value: '4.00',
    target_met: true,
  },
  {
    metric_type: 'MTTA',
    metric_name: 'Mean time to acknowledge',
    current_value: null,
    unit: 'minutes',
    trend: null,
    trend_percentage: null,
    period_start: '2024-03-02T00:00:00.000Z',
    period_end: '2024-03-03T00:00:00.000Z',
    incident_count: 0,
    target_value: null,
    target_met: null,
  },
];

function anomaly(id: string, severity: string, at: string, score: number): AnomalyJson {
  return {
    id,
    anomaly_type: 'VOLUME_SPIKE',
    severity,
    status: 'DETECTED',
    anomaly_score: score,
    confidence_score: 0.99,
    detected_at: at,
    affected_services: ['payments'],
    description: `Incident volume ${score}σ above the expected count`,
  };
}

/** Three anomalies of three severities. */
export const anomalies: AnomalyJson[] = [
  anomaly('00000000-0000-4000-8000-000000000001', 'CRITICAL', '2024-03-02T09:00:00.000Z', 6),
  anomaly('00000000-0000-4000-8000-000000000002', 'LOW', '2024-03-01T10:00:00.000Z', 3),
  anomaly('00000000-0000-4000-8000-000000000003', 'HIGH', '2024-03-01T12:00:00.000Z', 4.5),
];

/** A cost summary whose parts add up to the total. */
export const costSummary: CostSummaryJson = {
  total_cost: '15000.00',
  currency: 'USD',
  downtime_cost: '9000.00',
  lost_revenue: '4000.00',
  penalty_cost: '500.00',
  resource_cost: '1500.00',
  total_downtime_hours: '12.5',
  total_affected_users: 600,
  cost_per_hour: '1200.00',
  cost_per_user: '25.00',
};

function forecast(id: string, day: string, value: number, lower: number, upper: number, extra = {}) {
  const start = `${day}T00:00:00.000Z`;
  return {
    id,
    insight_type: 'INCIDENT_FORECAST',
    title: `Expect ${value} incidents`,
    prediction_value: { value, lower, upper, unit: 'incidents', horizon: 'day', group: null },
    confidence_level: 'MEDIUM',
    confidence_score: 0.78,
    predicted_at: `${day}T00:00:00.000Z`,
    prediction_window_start: start,
    prediction_window_end: new Date(Date.parse(start) + 24 * 3600_000).toISOString(),
    is_acknowledged: false,
    is_validated: false,
    actual_value: null,
    ...extra,
  } satisfies PredictiveInsightJson;
}

/** Daily forecasts of three days (the first validated), a weekly one and a risk insight. */
export const insights: PredictiveInsightJson[] = [
  forecast('10000000-0000-4000-8000-000000000003', '2024-03-06', 40, 30, 52),
  forecast('10000000-0000-4000-8000-000000000001', '2024-03-04', 42, 31, 55, {
    is_validated: true,
    actual_value: { value: 45 },
  }),
  forecast('10000000-0000-4000-8000-000000000002', '2024-03-05', 38, 28, 50),
  {
    ...forecast('10000000-0000-4000-8000-000000000004', '2024-03-04', 280, 240, 330),
    prediction_value: { value: 280, lower: 240, upper: 330, unit: 'incidents', horizon: 'week', group: null },
  },
  {
    id: '10000000-0000-4000-8000-000000000005',
    insight_type: 'ESCALATION_RISK',
    title: 'INC0001 is likely to be escalated',
    prediction_value: { value: 0.9, unit: 'probability' },
    confidence_level: 'HIGH',
    predicted_at: '2024-03-04T00:00:00.000Z',
    prediction_window_start: null,
    prediction_window_end: null,
    is_acknowledged: true,
  },
];

/** A dashboard with one widget of each type, listed out of layout order. */
export const dashboard: DashboardConfigJson = {
  id: '20000000-0000-4000-8000-000000000001',
  name: 'Executive <script>alert("x")</script> & overview',
  description: 'Headline KPIs, costs and forecasts',
  dashboard_type: 'EXECUTIVE',
  layout_config: { rows: 12, columns: 4 },
  widget_configs: [
    { type: 'heatmap', position: { row: 10, column: 0 }, size: { width: 4, height: 2 } },
    { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 }, title: 'KPIs' },
    {
      type: 'kpi_trend',
      position: { row: 0, column: 2 },
      size: { width: 2, height: 2 },
      options: { metrics: ['MTTR'] },
    },
    { type: 'anomaly_summary', position: { row: 2, column: 0 }, size: { width: 2, height: 1 } },
    { type: 'recent_anomalies', position: { row: 2, column: 2 }, size: { width: 2, height: 2 } },
    { type: 'cost_summary', position: { row: 4, column: 0 }, size: { width: 2, height: 1 } },
    { type: 'cost_breakdown', position: { row: 4, column: 2 }, size: { width: 2, height: 2 } },
    { type: 'insight_summary', position: { row: 6, column: 0 }, size: { width: 2, height: 1 } },
    { type: 'recent_insights', position: { row: 6, column: 2 }, size: { width: 2, height: 2 } },
    {
      type: 'forecast',
      position: { row: 8, column: 0 },
      size: { width: 4, height: 2 },
      title: '<b>Forecast</b>',
    },
  ],
};

/** The data of {@link dashboard}. */
export const dashboardData: DashboardDataJson = {
  kpi_summary: kpiSummary,
  anomaly_summary: {
    total_anomalies: 3,
    critical_anomalies: 1,
    high_anomalies: 1,
    medium_anomalies: 0,
    low_anomalies: 1,
    unresolved_anomalies: 3,
    false_positive_rate: '0.0',
    average_resolution_time: null,
  },
  recent_anomalies: anomalies,
  cost_summary: costSummary,
  insight_summary: { total_insights: 5, high_confidence_insights: 1, average_accuracy: '0.93' },
  recent_insights: insights,
  heatmap_data: [hourlyHeatmap, mttrHeatmap],
  last_updated: '2024-03-04T08:00:00.000Z',
};
