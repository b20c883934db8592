import type { FunctionComponent } from 'preact';
import type { WidgetType } from '../dashboards/types.ts';
import { AnomalySummaryWidget } from './anomaly-summary.tsx';
import { CostBreakdownWidget } from './cost-breakdown.tsx';
import { CostSummaryWidget } from './cost-summary.tsx';
import { ForecastWidget } from './forecast.tsx';
import type { WidgetProps } from './frame.tsx';
import { HeatmapWidget } from './heatmap.tsx';
import { InsightSummaryWidget } from './insight-summary.tsx';
import { KpiSummaryWidget } from './kpi-summary.tsx';
import { KpiTrendWidget } from './kpi-trend.tsx';
import { RecentAnomaliesWidget } from './recent-anomalies.tsx';
import { RecentInsightsWidget } from './recent-insights.tsx';

/** The component of each widget type. */
export const widgetComponents: Readonly<Record<WidgetType, FunctionComponent<WidgetProps>>> = {
  kpi_summary: KpiSummaryWidget,
  kpi_trend: KpiTrendWidget,
  anomaly_summary: AnomalySummaryWidget,
  recent_anomalies: RecentAnomaliesWidget,
  cost_summary: CostSummaryWidget,
  cost_breakdown: CostBreakdownWidget,
  insight_summary: InsightSummaryWidget,
  recent_insights: RecentInsightsWidget,
  heatmap: HeatmapWidget,
  forecast: ForecastWidget,
};
