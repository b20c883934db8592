import { anomalyTimelineOption } from '../charts/anomaly-timeline.ts';
import { costBreakdownOption } from '../charts/cost-breakdown.ts';
import { forecastOption } from '../charts/forecast.ts';
import { humanize } from '../charts/format.ts';
import { heatmapOption } from '../charts/heatmap.ts';
import { kpiTrendOption } from '../charts/kpi-trend.ts';
import { escapeHtml } from './html.ts';
import type { DashboardReportInput, WidgetConfigJson } from './report-types.ts';
import { type ChartSize, renderChartSvg } from './svg.ts';
import { anomalyTable, costTable, insightTable, kpiTable, summaryTable } from './widget-tables.ts';

/** Widget types drawn as a chart (one SVG each); the others are tables. */
export const chartWidgetTypes = [
  'kpi_trend',
  'recent_anomalies',
  'cost_breakdown',
  'forecast',
  'heatmap',
] as const;

const chartSize: ChartSize = { width: 900, height: 320 };
const heatmapSize: ChartSize = { width: 900, height: 380 };

const widgetTypeTitles: Readonly<Record<string, string>> = {
  kpi_summary: 'KPIs',
  kpi_trend: 'KPI trend',
  anomaly_summary: 'Anomalies',
  recent_anomalies: 'Recent anomalies',
  cost_summary: 'Costs',
  cost_breakdown: 'Cost breakdown',
  insight_summary: 'Predictive insights',
  recent_insights: 'Recent insights',
  forecast: 'Incident forecast',
  heatmap: 'Heatmap',
};

/** The title a widget shows: its own, else its type in words. */
function widgetTitle(widget: WidgetConfigJson): string {
  return widget.title?.trim() ? widget.title : (widgetTypeTitles[widget.type] ?? humanize(widget.type));
}

/** The widget's content: a chart as inline SVG (`chart-<index>` ids) and/or a table. */
function widgetBody(widget: WidgetConfigJson, input: DashboardReportInput, index: number): string {
  const { data } = input;
  const options = widget.options ?? {};
  const svg = (option: Record<string, unknown>, size = chartSize) =>
    `<figure>${renderChartSvg(option, size, `chart-${index}`)}</figure>`;
  switch (widget.type) {
    case 'kpi_summary':
      return kpiTable(filterMetrics(data.kpi_summary ?? [], options.metrics));
    case 'kpi_trend': {
      const measurements = filterMetrics(input.kpiMeasurements ?? [], options.metrics);
      const types = new Set(measurements.map((m) => m.metric_type));
      const summary = filterMetrics(data.kpi_summary ?? [], options.metrics);
      const target = types.size === 1 && summary.length === 1 ? (summary[0]?.target_value ?? null) : null;
      return svg(kpiTrendOption(measurements, { target }));
    }
    case 'anomaly_summary':
      return summaryTable('Anomalies', data.anomaly_summary);
    case 'recent_anomalies': {
      const anomalies = (data.recent_anomalies ?? []).slice(0, options.limit ?? 10);
      return svg(anomalyTimelineOption(anomalies)) + anomalyTable(anomalies);
    }
    case 'cost_summary':
      return costTable(data.cost_summary);
    case 'cost_breakdown':
      return svg(costBreakdownOption(data.cost_summary));
    case 'insight_summary':
      return summaryTable('Predictive insights', data.insight_summary);
    case 'recent_insights': {
      const insights = (data.recent_insights ?? []).filter(
        (i) => options.insight_type === undefined || i.insight_type === options.insight_type,
      );
      return insightTable(insights.slice(0, options.limit ?? 10));
    }
    case 'forecast':
      return svg(forecastOption(data.recent_insights ?? []));
    case 'heatmap': {
      const type = options.heatmap_type ?? 'INCIDENT_FREQUENCY';
      const granularity = options.time_granularity ?? 'HOURLY';
      const heatmap = (data.heatmap_data ?? []).find(
        (h) => h.heatmap_type === type && h.time_granularity === granularity,
      );
      return svg(heatmapOption(heatmap, { title: heatmap?.name ?? '' }), heatmapSize);
    }
    default:
      return `<p class="empty">${escapeHtml(`Widget type ${widget.type} is not shown in reports.`)}</p>`;
  }
}

function filterMetrics<T extends { metric_type: string }>(
  items: readonly T[],
  metrics: readonly string[] | undefined,
): T[] {
  return metrics === undefined ? [...items] : items.filter((item) => metrics.includes(item.metric_type));
}

/** One widget as an HTML section: its title and its content. */
export function widgetSection(widget: WidgetConfigJson, input: DashboardReportInput, index: number): string {
  return (
    `<section class="widget" data-widget-type="${escapeHtml(widget.type)}">` +
    `<h2>${escapeHtml(widgetTitle(widget))}</h2>${widgetBody(widget, input, index)}</section>`
  );
}
