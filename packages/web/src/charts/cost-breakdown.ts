import type { CostSummaryJson } from './api-types.ts';
import { escapeHtml, formatNumber, toNumber } from './format.ts';
import {
  baseOption,
  gridLineColor,
  mutedTextColor,
  noDataOption,
  seriesPalette,
  textColor,
  titleOption,
} from './theme.ts';

/** Options of {@link costBreakdownOption}. */
interface CostBreakdownOptions {
  /** Title above the chart. */
  title?: string;
}

/** The parts of a cost summary, in the order they are drawn (top to bottom). */
const costParts = [
  { key: 'downtime_cost', label: 'Downtime' },
  { key: 'lost_revenue', label: 'Lost revenue' },
  { key: 'penalty_cost', label: 'SLA penalties' },
  { key: 'resource_cost', label: 'Resources' },
] as const;

/**
 * The cost summary as horizontal bars, one per part (downtime, lost revenue, SLA penalties,
 * resources), the currency in the axis name, each bar labelled with its amount. No summary (an
 * engine without costs) or a total of zero gives a "No data" chart.
 */
export function costBreakdownOption(
  summary: CostSummaryJson | null | undefined,
  options: CostBreakdownOptions = {},
): Record<string, unknown> {
  if (!summary) return noDataOption(options.title);
  const amounts = costParts.map((part) => toNumber(summary[part.key]) ?? 0);
  if (amounts.every((a) => a === 0)) return noDataOption(options.title);
  const currency = summary.currency;
  const money = (value: number) => `${formatNumber(value)} ${currency}`;
  return {
    ...baseOption(),
    ...titleOption(options.title),
    grid: { left: 110, right: 96, top: options.title ? 48 : 24, bottom: 40, containLabel: false },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const { name, value } = params as { name: string; value: number };
        return `${escapeHtml(name)}: ${escapeHtml(money(value))}`;
      },
    },
    xAxis: {
      type: 'value',
      name: currency,
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor, formatter: (v: number) => formatNumber(v, 0) },
      splitLine: { lineStyle: { color: gridLineColor } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: costParts.map((p) => p.label),
      axisLabel: { color: textColor },
    },
    series: [
      {
        type: 'bar',
        name: `Cost (${currency})`,
        data: amounts.map((value, i) => ({
          value,
          itemStyle: { color: seriesPalette[i % seriesPalette.length] },
        })),
        label: {
          show: true,
          position: 'right',
          color: textColor,
          formatter: (params: unknown) => money((params as { value: number }).value),
        },
      },
    ],
  };
}
