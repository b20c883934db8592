import type { HeatmapDataJson } from './api-types.ts';
import { escapeHtml, formatNumber, humanize, weekdayNames, withUnit } from './format.ts';
import {
  baseOption,
  heatmapGradient,
  mutedTextColor,
  noDataOption,
  textColor,
  titleOption,
} from './theme.ts';

/** Options of {@link heatmapOption}. */
interface HeatmapOptions {
  /** Title above the chart; the heatmap's `name` when absent. */
  title?: string;
}

const rowAxisNames: Record<string, string> = { weekday: 'Weekday', service: 'Service', category: 'Category' };
const columnAxisNames: Record<string, string> = {
  hour_of_day: 'Hour of day (UTC)',
  day: 'Day',
  week: 'ISO week',
  month: 'Month',
};

/** A row's label: the API's label, else a weekday name for ISO weekday keys, else the key. */
function rowLabel(heatmap: HeatmapDataJson, i: number): string {
  const label = heatmap.labels?.rows?.[i];
  if (label) return label;
  const key = heatmap.rows[i] ?? '';
  if (isWeekdayAxis(heatmap) && /^[1-7]$/.test(key)) return weekdayNames[Number(key) - 1] ?? key;
  return key === '' ? '(none)' : key;
}

/** A column's label: the API's label, else `09:00` for an hour key, else the key. */
function columnLabel(heatmap: HeatmapDataJson, j: number): string {
  const label = heatmap.labels?.columns?.[j];
  if (label) return label;
  const key = heatmap.columns[j] ?? '';
  if (/^\d{1,2}$/.test(key) && heatmap.time_granularity === 'HOURLY') return `${key.padStart(2, '0')}:00`;
  return key;
}

function isWeekdayAxis(heatmap: HeatmapDataJson): boolean {
  return heatmap.row_axis === 'weekday' || ['HOURLY', 'MONTHLY'].includes(heatmap.time_granularity);
}

/**
 * A stored heatmap as a grid of coloured cells: rows and columns named by the API's labels
 * (`Monday`, `09:00`, a service), rows top to bottom in the API's order, a colour scale from the
 * smallest to the largest value with the unit, and `-` for a cell without a value. A heatmap
 * without rows, columns or any value gives a "No data" chart.
 */
export function heatmapOption(
  heatmap: HeatmapDataJson | null | undefined,
  options: HeatmapOptions = {},
): Record<string, unknown> {
  const title = options.title ?? heatmap?.name;
  if (!heatmap || heatmap.rows.length === 0 || heatmap.columns.length === 0) return noDataOption(title);
  const cells: [number, number, number | '-'][] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  heatmap.rows.forEach((_row, i) => {
    heatmap.columns.forEach((_column, j) => {
      const value = heatmap.values[i]?.[j];
      if (typeof value === 'number' && Number.isFinite(value)) {
        cells.push([j, i, value]);
        min = Math.min(min, value);
        max = Math.max(max, value);
      } else cells.push([j, i, '-']);
    });
  });
  if (!Number.isFinite(min)) return noDataOption(title);
  const rows = heatmap.rows.map((_r, i) => rowLabel(heatmap, i));
  const columns = heatmap.columns.map((_c, j) => columnLabel(heatmap, j));
  const unit = heatmap.unit;
  return {
    ...baseOption(),
    ...titleOption(title),
    grid: { left: 110, right: 24, top: title ? 48 : 24, bottom: 88 },
    tooltip: {
      position: 'top',
      formatter: (params: unknown) => {
        const { value } = params as { value: [number, number, number | '-'] };
        const [j, i, v] = value;
        const shown = v === '-' ? 'no value' : withUnit(v, unit);
        return `${escapeHtml(rows[i] ?? '')}, ${escapeHtml(columns[j] ?? '')}: ${escapeHtml(shown)}`;
      },
    },
    xAxis: {
      type: 'category',
      data: columns,
      name: columnAxisNames[heatmap.column_axis ?? ''] ?? '',
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor, hideOverlap: true },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: rows,
      inverse: true,
      name: rowAxisNames[heatmap.row_axis ?? ''] ?? '',
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor },
      splitArea: { show: true },
    },
    visualMap: {
      min,
      max: max === min ? min + 1 : max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 120,
      text: [`${formatNumber(max)} ${unit}`.trim(), `${formatNumber(min)} ${unit}`.trim()],
      textStyle: { color: textColor },
      inRange: { color: [...heatmapGradient] },
    },
    series: [
      {
        type: 'heatmap',
        name: `${humanize(heatmap.heatmap_type)} (${unit})`,
        data: cells,
        emphasis: { itemStyle: { borderColor: textColor, borderWidth: 1 } },
      },
    ],
  };
}
