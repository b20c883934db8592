import type {
  AnomalyJson,
  CostSummaryJson,
  HeatmapDataJson,
  KpiMeasurementJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from '../charts/api-types.ts';

/** One widget of a dashboard configuration, as `GET /dashboard-configurations/{id}/` shows it. */
export interface WidgetConfigJson {
  type: string;
  position: { row: number; column: number };
  size: { width: number; height: number };
  title?: string | undefined;
  options?:
    | {
        metrics?: string[] | undefined;
        limit?: number | undefined;
        insight_type?: string | undefined;
        heatmap_type?: string | undefined;
        time_granularity?: string | undefined;
      }
    | undefined;
}

/** The fields of a dashboard configuration a report reads. */
export interface DashboardConfigJson {
  id?: string;
  name: string;
  description?: string;
  dashboard_type?: string;
  layout_config?: { rows: number; columns: number };
  widget_configs: WidgetConfigJson[];
}

/** `GET /dashboard/{id}/data/`: the keys of the configured widgets and when they were computed. */
export interface DashboardDataJson {
  kpi_summary?: KpiSummaryItemJson[];
  anomaly_summary?: Record<string, unknown>;
  cost_summary?: CostSummaryJson | null;
  insight_summary?: Record<string, unknown>;
  recent_anomalies?: AnomalyJson[];
  recent_insights?: PredictiveInsightJson[];
  heatmap_data?: HeatmapDataJson[];
  last_updated?: string;
}

/** Everything a report is made of: the caller reads it (from the engine or the API) and passes it in. */
export interface DashboardReportInput {
  dashboard: DashboardConfigJson;
  data: DashboardDataJson;
  /**
   * Measurement history for `kpi_trend` widgets (`GET /kpi-measurements/`), any order; a trend
   * widget shows the measurements of its metric types (all of them when it names none).
   */
  kpiMeasurements?: KpiMeasurementJson[];
  /** When the report was generated (ISO text or a Date): printed in it, never read from a clock. */
  generatedAt: string | Date;
}
