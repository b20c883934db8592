import { formatInstant } from '../charts/format.ts';
import { escapeHtml, reportCss } from './html.ts';
import type { DashboardReportInput, WidgetConfigJson } from './report-types.ts';
import { widgetSection } from './widgets.ts';

export type {
  DashboardConfigJson,
  DashboardDataJson,
  DashboardReportInput,
  WidgetConfigJson,
} from './report-types.ts';
export { chartWidgetTypes } from './widgets.ts';

/** Widgets in layout order: by row, then by column. */
function inLayoutOrder(widgets: readonly WidgetConfigJson[]): WidgetConfigJson[] {
  return [...widgets].sort(
    (a, b) => a.position.row - b.position.row || a.position.column - b.position.column,
  );
}

/**
 * A dashboard's data as one self-contained HTML document: the dashboard's name and description,
 * when the report was generated and when the data was computed, then each widget in layout order,
 * charts as inline SVG (ECharts server-side rendering) and KPI tiles, summaries and lists as
 * tables. No script, no external asset, every text escaped. Pure: the same input gives the same
 * bytes (the generation time is part of the input).
 */
export function renderDashboardReport(input: DashboardReportInput): string {
  const { dashboard, data } = input;
  const generatedAt =
    typeof input.generatedAt === 'string' ? input.generatedAt : input.generatedAt.toISOString();
  const sections = inLayoutOrder(dashboard.widget_configs).map((widget, i) =>
    widgetSection(widget, input, i),
  );
  const meta = [
    `Generated ${formatInstant(generatedAt)}`,
    ...(data.last_updated ? [`data computed ${formatInstant(data.last_updated)}`] : []),
    ...(dashboard.dashboard_type ? [`${dashboard.dashboard_type.toLowerCase()} dashboard`] : []),
  ].join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Incident Insights">`,
    `<title>${escapeHtml(dashboard.name)}</title>`,
    `<style>${reportCss}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${escapeHtml(dashboard.name)}</h1>`,
    ...(dashboard.description ? [`<p>${escapeHtml(dashboard.description)}</p>`] : []),
    `<p class="meta"><time datetime="${escapeHtml(generatedAt)}">${escapeHtml(meta)}</time></p>`,
    '</header>',
    ...(sections.length > 0 ? sections : ['<p class="empty">This dashboard has no widgets.</p>']),
    '<footer>Incident Insights dashboard report. Times are UTC.</footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
