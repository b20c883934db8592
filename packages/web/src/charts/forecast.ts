import type { PredictiveInsightJson } from './api-types.ts';
import { escapeHtml, formatDay, formatInstant, toNumber, withUnit } from './format.ts';
import {
  baseOption,
  gridLineColor,
  mutedTextColor,
  noDataOption,
  seriesPalette,
  textColor,
  titleOption,
} from './theme.ts';

/** A count forecast as `POST /predictive-models/{id}/predict/` answers it for one group. */
interface ForecastPredictionJson {
  group: string | null;
  /** Start of each forecast period (ISO). */
  timestamps: string[];
  mean: number[];
  lower: number[];
  upper: number[];
}

/** Options of {@link forecastOption}. */
interface ForecastOptions {
  /** Title above the chart. */
  title?: string;
  /** Of insights: the horizon to draw (`day`, `week`); default `day` when there is one, else the first. */
  horizon?: string;
  /** Of insights: the group to draw (a service, team or category); default all incidents, else the first. */
  group?: string | null;
  /** The unit when the input does not name one (default `incidents`). */
  unit?: string;
}

/** One point of a forecast: its period, the forecast with its interval, and what happened (if known). */
interface ForecastPoint {
  label: string;
  start: string;
  value: number;
  lower: number;
  upper: number;
  actual: number | null;
}

interface ForecastValue {
  value: number;
  lower: number;
  upper: number;
  unit: string | null;
  horizon: string | null;
  group: string | null;
}

function forecastValue(prediction: unknown): ForecastValue | null {
  if (typeof prediction !== 'object' || prediction === null) return null;
  const p = prediction as Record<string, unknown>;
  const value = toNumber(p['value']);
  if (value === null) return null;
  return {
    value,
    lower: toNumber(p['lower']) ?? value,
    upper: toNumber(p['upper']) ?? value,
    unit: typeof p['unit'] === 'string' ? p['unit'] : null,
    horizon: typeof p['horizon'] === 'string' ? p['horizon'] : null,
    group: typeof p['group'] === 'string' ? p['group'] : null,
  };
}

function actualValue(actual: unknown): number | null {
  if (typeof actual === 'object' && actual !== null)
    return toNumber((actual as Record<string, unknown>)['value']);
  return toNumber(actual);
}

/**
 * The points a forecast chart draws, oldest first: from INCIDENT_FORECAST insights (one horizon and
 * one group, one point per prediction window, the latest insight of a window kept) or from a
 * model's forecast of one group. Pure; exported for tests and tables.
 */
export function forecastPoints(
  input: readonly PredictiveInsightJson[] | ForecastPredictionJson,
  options: ForecastOptions = {},
): { points: ForecastPoint[]; unit: string } {
  if (!Array.isArray(input)) {
    const f = input as ForecastPredictionJson;
    const points = f.timestamps.map((start, i) => {
      const value = f.mean[i] ?? 0;
      return {
        label: formatDay(start),
        start,
        value,
        lower: f.lower[i] ?? value,
        upper: f.upper[i] ?? value,
        actual: null,
      };
    });
    return { points, unit: options.unit ?? 'incidents' };
  }
  const parsed = (input as readonly PredictiveInsightJson[])
    .filter((i) => i.insight_type === 'INCIDENT_FORECAST' && i.prediction_window_start !== null)
    .map((insight) => ({ insight, forecast: forecastValue(insight.prediction_value) }))
    .filter((x): x is { insight: PredictiveInsightJson; forecast: ForecastValue } => x.forecast !== null);
  const horizons = [...new Set(parsed.map((x) => x.forecast.horizon))];
  const horizon = options.horizon ?? (horizons.includes('day') ? 'day' : horizons[0]);
  const ofHorizon = parsed.filter((x) => x.forecast.horizon === horizon);
  const groups = [...new Set(ofHorizon.map((x) => x.forecast.group))];
  const group =
    options.group !== undefined ? options.group : groups.includes(null) ? null : (groups[0] ?? null);
  const latestPerWindow = new Map<string, { insight: PredictiveInsightJson; forecast: ForecastValue }>();
  for (const x of ofHorizon.filter((y) => y.forecast.group === group)) {
    const start = x.insight.prediction_window_start ?? '';
    const kept = latestPerWindow.get(start);
    if (!kept || kept.insight.predicted_at < x.insight.predicted_at) latestPerWindow.set(start, x);
  }
  const points = [...latestPerWindow.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([start, { insight, forecast }]) => ({
      label: horizon === 'week' ? `Week of ${formatDay(start)}` : formatDay(start),
      start,
      value: forecast.value,
      lower: Math.min(forecast.lower, forecast.value),
      upper: Math.max(forecast.upper, forecast.value),
      actual: insight.is_validated === false ? null : actualValue(insight.actual_value),
    }));
  const unit = parsed.find((x) => x.forecast.unit)?.forecast.unit ?? options.unit ?? 'incidents';
  return { points, unit };
}

/**
 * A forecast with its prediction interval drawn as a shaded band (the area between the lower and
 * upper bounds), the forecast as a line over it and, once known, what happened as points. Input:
 * the `forecast` widget's INCIDENT_FORECAST insights or a model's forecast of one group. Nothing
 * to draw gives a "No data" chart.
 */
export function forecastOption(
  input: readonly PredictiveInsightJson[] | ForecastPredictionJson | null | undefined,
  options: ForecastOptions = {},
): Record<string, unknown> {
  if (!input) return noDataOption(options.title);
  const { points, unit } = forecastPoints(input, options);
  if (points.length === 0) return noDataOption(options.title);
  const bandColor = seriesPalette[0];
  const hasActual = points.some((p) => p.actual !== null);
  return {
    ...baseOption(),
    ...titleOption(options.title),
    legend: {
      bottom: 0,
      data: ['Forecast', 'Prediction interval', ...(hasActual ? ['Actual'] : [])],
      textStyle: { color: mutedTextColor },
    },
    grid: { left: 64, right: 24, top: options.title ? 48 : 24, bottom: 64 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex: number } | undefined;
        const p = first ? points[first.dataIndex] : undefined;
        if (!p) return '';
        return [
          escapeHtml(formatInstant(p.start)),
          `Forecast: ${escapeHtml(withUnit(p.value, unit))}`,
          `Interval: ${escapeHtml(withUnit(p.lower, ''))} to ${escapeHtml(withUnit(p.upper, unit))}`,
          ...(p.actual === null ? [] : [`Actual: ${escapeHtml(withUnit(p.actual, unit))}`]),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: points.map((p) => p.label),
      axisLabel: { color: mutedTextColor, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: unit,
      nameTextStyle: { color: textColor },
      axisLabel: { color: mutedTextColor },
      splitLine: { lineStyle: { color: gridLineColor } },
    },
    series: [
      {
        type: 'line',
        name: 'Interval lower bound',
        stack: 'prediction-interval',
        data: points.map((p) => p.lower),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      },
      {
        type: 'line',
        name: 'Prediction interval',
        stack: 'prediction-interval',
        data: points.map((p) => p.upper - p.lower),
        lineStyle: { opacity: 0 },
        areaStyle: { color: bandColor, opacity: 0.2 },
        itemStyle: { color: bandColor },
        symbol: 'none',
        silent: true,
      },
      {
        type: 'line',
        name: 'Forecast',
        data: points.map((p) => p.value),
        itemStyle: { color: bandColor },
        lineStyle: { color: bandColor, width: 2 },
        showSymbol: true,
      },
      ...(hasActual
        ? [
            {
              type: 'scatter',
              name: 'Actual',
              data: points.map((p) => p.actual ?? '-'),
              itemStyle: { color: seriesPalette[1] },
              symbolSize: 9,
            },
          ]
        : []),
    ],
  };
}
