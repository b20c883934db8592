import type {
  AnomalyJson,
  CostSummaryJson,
  KpiSummaryItemJson,
  PredictiveInsightJson,
} from '../charts/api-types.ts';
import { formatInstant, formatNumber, humanize, toNumber } from '../charts/format.ts';
import { type Cell, num, tableHtml } from './html.ts';

const trendArrows: Record<string, string> = { up: '↑', down: '↓', stable: '→' };

function decimal(value: string | number | null | undefined, unit = ''): string {
  const n = toNumber(value);
  if (n === null) return '—';
  return unit ? `${formatNumber(n)} ${unit}` : formatNumber(n);
}

/** KPI tiles as a table: value with unit, trend arrow and percentage, target and whether it is met. */
export function kpiTable(items: readonly KpiSummaryItemJson[]): string {
  const rows = items.map((item): Cell[] => [
    item.metric_name,
    num(decimal(item.current_value, item.unit)),
    item.trend === null
      ? { text: '—', className: 'muted' }
      : `${trendArrows[item.trend] ?? ''} ${item.trend}${item.trend_percentage === null ? '' : ` ${decimal(item.trend_percentage)}%`}`,
    num(decimal(item.target_value, item.unit)),
    item.target_met === null
      ? { text: '—', className: 'muted' }
      : item.target_met
        ? { text: 'met', className: 'good' }
        : { text: 'not met', className: 'bad' },
    num(String(item.incident_count)),
  ]);
  return tableHtml(
    'Key performance indicators',
    ['Metric', num('Value'), 'Trend', num('Target'), 'Target met', num('Incidents')],
    rows,
    'No KPI measured yet.',
  );
}

/** A summary object (counts and rates) as a two-column table, fields in the API's order. */
export function summaryTable(caption: string, summary: Record<string, unknown> | null | undefined): string {
  const rows = Object.entries(summary ?? {}).map(([field, value]): Cell[] => [
    humanize(field),
    num(
      value === null || value === undefined
        ? '—'
        : typeof value === 'number'
          ? formatNumber(value)
          : String(value),
    ),
  ]);
  return tableHtml(caption, ['Measure', num('Value')], rows, 'Nothing to summarise yet.');
}

/** The cost summary: the total and its parts in the currency, hours, users and the rates. */
export function costTable(summary: CostSummaryJson | null | undefined): string {
  if (!summary) return tableHtml('Costs', [], [], 'No cost data (costs are not enabled).');
  const money = (v: string) => decimal(v, summary.currency);
  const rows: Cell[][] = [
    ['Total cost', num(money(summary.total_cost))],
    ['Downtime', num(money(summary.downtime_cost))],
    ['Lost revenue', num(money(summary.lost_revenue))],
    ['SLA penalties', num(money(summary.penalty_cost))],
    ['Resources', num(money(summary.resource_cost))],
    ['Downtime', num(decimal(summary.total_downtime_hours, 'hours'))],
    ['Affected users', num(formatNumber(summary.total_affected_users))],
    ['Cost per hour of downtime', num(money(summary.cost_per_hour))],
    ['Cost per affected user', num(money(summary.cost_per_user))],
  ];
  return tableHtml('Costs', ['Measure', num('Value')], rows, '');
}

/** Anomalies, newest first as the API lists them. */
export function anomalyTable(anomalies: readonly AnomalyJson[]): string {
  const rows = anomalies.map((a): Cell[] => [
    formatInstant(a.detected_at),
    humanize(a.anomaly_type),
    humanize(a.severity),
    humanize(a.status),
    num(formatNumber(a.anomaly_score)),
    a.affected_services.join(', '),
    a.description,
  ]);
  return tableHtml(
    'Recent anomalies',
    ['Detected', 'Type', 'Severity', 'Status', num('Score'), 'Services', 'Description'],
    rows,
    'No anomaly detected.',
  );
}

/** Insights, as the API lists them. */
export function insightTable(insights: readonly PredictiveInsightJson[]): string {
  const window = (i: PredictiveInsightJson) =>
    i.prediction_window_start && i.prediction_window_end
      ? `${formatInstant(i.prediction_window_start)} to ${formatInstant(i.prediction_window_end)}`
      : '—';
  const rows = insights.map((i): Cell[] => [
    i.title,
    humanize(i.insight_type),
    i.confidence_level ? humanize(i.confidence_level) : '—',
    window(i),
    i.is_acknowledged ? 'yes' : 'no',
  ]);
  return tableHtml(
    'Predictive insights',
    ['Insight', 'Type', 'Confidence', 'Window', 'Acknowledged'],
    rows,
    'No insight yet.',
  );
}
