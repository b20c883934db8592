import type {
  AnomalyJson,
  CostSummaryJson,
  HeatmapDataJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from '../../charts/index.ts';

/** The widget types a dashboard can hold (the engine's `widgetTypes`). */
export const widgetTypes = [
  'kpi_summary',
  'kpi_trend',
  'anomaly_summary',
  'recent_anomalies',
  'cost_summary',
  'cost_breakdown',
  'insight_summary',
  'recent_insights',
  'heatmap',
  'forecast',
] as const;

/** One of {@link widgetTypes}. */
export type WidgetType = (typeof widgetTypes)[number];

/** What each widget type is called in the editor. */
export const widgetTypeLabels: Readonly<Record<WidgetType, string>> = {
  kpi_summary: 'KPI tiles',
  kpi_trend: 'KPI trend',
  anomaly_summary: 'Anomaly summary',
  recent_anomalies: 'Recent anomalies',
  cost_summary: 'Cost summary',
  cost_breakdown: 'Cost breakdown',
  insight_summary: 'Insight summary',
  recent_insights: 'Recent insights',
  heatmap: 'Heatmap',
  forecast: 'Forecast',
};

/** The dashboard types (a label: they do not restrict the widgets). */
export const dashboardTypes = ['EXECUTIVE', 'OPERATIONAL', 'TECHNICAL', 'CUSTOM'] as const;

/** A widget's options, as the API takes them. */
export interface WidgetOptions {
  metrics?: string[];
  limit?: number;
  insight_type?: string;
  heatmap_type?: string;
  time_granularity?: string;
}

/** A widget of a dashboard configuration: its type, cell (0-based) and size in cells. */
export interface WidgetConfig {
  type: WidgetType;
  position: { row: number; column: number };
  size: { width: number; height: number };
  title?: string;
  options?: WidgetOptions;
}

/** A dashboard configuration (`/api/analytics/dashboard-configurations/{id}/`). */
export interface DashboardConfig {
  id: string;
  name: string;
  description: string;
  dashboard_type: (typeof dashboardTypes)[number];
  layout_config: { rows: number; columns: number };
  widget_configs: WidgetConfig[];
  is_public: boolean;
  allowed_roles: string[];
  auto_refresh_enabled: boolean;
  refresh_interval_seconds: number;
  is_active: boolean;
  created_by?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** `anomaly_summary` of the dashboard data. */
export interface AnomalySummaryJson {
  total_anomalies: number;
  critical_anomalies: number;
  high_anomalies: number;
  medium_anomalies: number;
  low_anomalies: number;
  unresolved_anomalies: number;
  false_positive_rate: string;
  average_resolution_time: string | null;
}

/** `insight_summary` of the dashboard data. */
interface InsightSummaryJson {
  total_insights: number;
  high_confidence_insights: number;
  medium_confidence_insights: number;
  low_confidence_insights: number;
  acknowledged_insights: number;
  validated_insights: number;
  expired_insights: number;
  average_accuracy: string | null;
  active_models: number;
}

/** `GET /api/analytics/dashboard/{id}/data/`: only the keys of the configured widgets are present. */
export interface DashboardData {
  kpi_summary?: KpiSummaryItemJson[];
  anomaly_summary?: AnomalySummaryJson;
  cost_summary?: CostSummaryJson | null;
  insight_summary?: InsightSummaryJson;
  recent_anomalies?: AnomalyJson[];
  recent_insights?: PredictiveInsightJson[];
  heatmap_data?: HeatmapDataJson[];
  last_updated: string;
}
