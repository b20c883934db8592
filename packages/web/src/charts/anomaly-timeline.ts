import type { AnomalyJson } from './api-types.ts';
import { escapeHtml, formatInstant, formatNumber, humanize } from './format.ts';
import {
  baseOption,
  gridLineColor,
  mutedTextColor,
  noDataOption,
  severityColors,
  textColor,
  titleOption,
} from './theme.ts';

/** Options of {@link anomalyTimelineOption}. */
interface AnomalyTimelineOptions {
  /** Title above the chart. */
  title?: string;
}

const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * Anomalies on a time line: one point per anomaly at its detection time, on the row of its
 * severity (low at the bottom, critical at the top), coloured by severity, larger for a larger
 * anomaly score; the tooltip names the type, status, services and description. Each point carries
 * the anomaly's `id` (as the data item's `id`) so a click can open it. No anomalies: "No data".
 */
export function anomalyTimelineOption(
  anomalies: readonly AnomalyJson[],
  options: AnomalyTimelineOptions = {},
): Record<string, unknown> {
  if (anomalies.length === 0) return noDataOption(options.title);
  const extra = [...new Set(anomalies.map((a) => a.severity))].filter((s) => !severities.includes(s)).sort();
  const rows = [...severities, ...extra];
  const byId = new Map(anomalies.map((a) => [a.id, a]));
  const maxScore = Math.max(...anomalies.map((a) => Math.abs(a.anomaly_score)).filter(Number.isFinite), 0);
  const series = rows
    .map((severity) => {
      const items = anomalies
        .filter((a) => a.severity === severity)
        .sort((a, b) => a.detected_at.localeCompare(b.detected_at));
      return {
        type: 'scatter',
        name: humanize(severity),
        itemStyle: { color: severityColors[severity] ?? textColor, opacity: 0.85 },
        symbolSize: (value: unknown) => {
          const score = Math.abs(Number((value as unknown[])[2]));
          return maxScore > 0 && Number.isFinite(score) ? 8 + 10 * (score / maxScore) : 10;
        },
        data: items.map((a) => ({ id: a.id, value: [a.detected_at, humanize(a.severity), a.anomaly_score] })),
      };
    })
    .filter((s) => s.data.length > 0);
  return {
    ...baseOption(),
    ...titleOption(options.title),
    legend: { bottom: 0, textStyle: { color: mutedTextColor } },
    grid: { left: 80, right: 24, top: options.title ? 48 : 24, bottom: 64 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const { data } = params as { data: { id: string } };
        const a = byId.get(data.id);
        if (!a) return '';
        return [
          `<strong>${escapeHtml(humanize(a.anomaly_type))}</strong> (${escapeHtml(humanize(a.severity))}, ${escapeHtml(humanize(a.status))})`,
          escapeHtml(formatInstant(a.detected_at)),
          `Score ${escapeHtml(formatNumber(a.anomaly_score))}`,
          ...(a.affected_services.length > 0
            ? [escapeHtml(`Services: ${a.affected_services.join(', ')}`)]
            : []),
          escapeHtml(a.description),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'time',
      name: 'Detected at (UTC)',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: gridLineColor } },
    },
    yAxis: {
      type: 'category',
      data: rows.map(humanize),
      name: 'Severity',
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor },
    },
    series,
  };
}
