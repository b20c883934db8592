import type { KpiMeasurementJson } from './api-types.ts';
import { escapeHtml, formatInstant, toNumber, withUnit } from './format.ts';
import { baseOption, gridLineColor, mutedTextColor, noDataOption, textColor, titleOption } from './theme.ts';

/** Options of {@link kpiTrendOption}. */
interface KpiTrendOptions {
  /** Title above the chart. */
  title?: string;
  /** The metric's target (a decimal string as the API gives it): drawn as a dashed line. */
  target?: string | number | null;
}

/**
 * A KPI's history as lines: one line per metric (by `metric_name`), each point a measurement at
 * the end of its period, the unit in the y axis name and the tooltip. Measurements without a value
 * are gaps. Empty input (or only empty values) gives a "No data" chart.
 */
export function kpiTrendOption(
  measurements: readonly KpiMeasurementJson[],
  options: KpiTrendOptions = {},
): Record<string, unknown> {
  const valued = measurements.filter((m) => toNumber(m.value) !== null);
  if (valued.length === 0) return noDataOption(options.title);
  const byMetric = new Map<string, KpiMeasurementJson[]>();
  for (const m of [...measurements].sort((a, b) => a.period_end.localeCompare(b.period_end))) {
    const list = byMetric.get(m.metric_name) ?? [];
    list.push(m);
    byMetric.set(m.metric_name, list);
  }
  const units = [...new Set(valued.map((m) => m.unit).filter((u) => u !== ''))];
  const unitOf = new Map(valued.map((m) => [m.metric_name, m.unit]));
  const target = toNumber(options.target);
  const series = [...byMetric.entries()].map(([name, list], i) => ({
    type: 'line',
    name,
    showSymbol: list.length <= 60,
    connectNulls: false,
    data: list.map((m) => [m.period_end, toNumber(m.value)]),
    ...(i === 0 && target !== null
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: textColor },
            label: {
              position: 'insideEndTop',
              formatter: `Target ${withUnit(target, unitOf.get(name) ?? '')}`,
              color: textColor,
            },
            data: [{ yAxis: target }],
          },
        }
      : {}),
  }));
  return {
    ...baseOption(),
    ...titleOption(options.title),
    legend: { show: byMetric.size > 1, bottom: 0, textStyle: { color: mutedTextColor } },
    grid: { left: 64, right: 24, top: options.title ? 48 : 24, bottom: byMetric.size > 1 ? 56 : 32 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const rows = (Array.isArray(params) ? params : [params]) as {
          seriesName: string;
          value: [string, number | null];
        }[];
        const when = rows[0] ? formatInstant(rows[0].value[0]) : '';
        const lines = rows.map((r) => {
          const value =
            r.value[1] === null ? 'no value' : withUnit(r.value[1], unitOf.get(r.seriesName) ?? '');
          return `${escapeHtml(r.seriesName)}: ${escapeHtml(value)}`;
        });
        return [escapeHtml(when), ...lines].join('<br/>');
      },
    },
    xAxis: {
      type: 'time',
      name: 'Period end (UTC)',
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { color: mutedTextColor, hideOverlap: true },
      axisLine: { lineStyle: { color: mutedTextColor } },
    },
    yAxis: {
      type: 'value',
      name: units.length === 1 ? units[0] : units.join(' / '),
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor },
      splitLine: { lineStyle: { color: gridLineColor } },
    },
    series,
  };
}
