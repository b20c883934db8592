/**
 * Pure ECharts option builders over the API's JSON, shared by the web page (canvas) and the
 * server-side report (SVG). Each returns a plain option object and never throws on empty input: it
 * then returns an option showing "No data". Call {@link registerCharts} (with `echarts/core`'s
 * `use` and a renderer) once before drawing.
 */

export { anomalyTimelineOption } from './anomaly-timeline.ts';
export type {
  AnomalyJson,
  CostSummaryJson,
  HeatmapDataJson,
  KpiMeasurementJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from './api-types.ts';
export { costBreakdownOption } from './cost-breakdown.ts';
export { forecastOption, forecastPoints } from './forecast.ts';
export { formatInstant, formatNumber, humanize, withUnit } from './format.ts';
export { heatmapOption } from './heatmap.ts';
export { kpiTrendOption } from './kpi-trend.ts';
export { registerCharts } from './modules.ts';
export { chartBackground, noDataText, seriesPalette, severityColors, textColor } from './theme.ts';
