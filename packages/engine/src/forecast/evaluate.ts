import { EngineError } from '../errors.ts';
import { naivePeriod } from './seasonal-naive.ts';
import { seasonalPeriodsFor, toRegularSeries } from './series.ts';
import type { ForecastOptions, ForecastResult, ForecastSeries } from './types.ts';

/** The forecast of one fold: points, and bounds when the method gives them. */
export interface FoldForecast {
  point: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

/** Scores of one fold. */
interface FoldScores {
  /** Index of the first forecast value in the series (the training history is everything before). */
  origin: number;
  mase: number;
  smape: number;
  /** Share of the fold's actual values inside [lower, upper]; `null` without bounds. */
  coverage: number | null;
}

/** Scores over all folds: the means of the folds' MASE and sMAPE, and coverage over every point. */
export interface ForecastScores {
  mase: number;
  smape: number;
  coverage: number | null;
  folds: FoldScores[];
}

/**
 * The scale of MASE: the mean absolute in-sample error of the seasonal naive forecast with period
 * `m` on the training history, mean |y(t) − y(t − m)| (Hyndman and Koehler 2006). Throws when it is
 * 0 (a constant or strictly periodic history has no scale).
 */
export function naiveScale(history: ArrayLike<number>, m: number): number {
  let sum = 0;
  for (let t = m; t < history.length; t++) sum += Math.abs(history[t]! - history[t - m]!);
  const scale = sum / (history.length - m);
  if (!(scale > 0))
    throw new EngineError('INSUFFICIENT_DATA', 'the seasonal naive scale of MASE is 0 on this history');
  return scale;
}

/** Mean absolute scaled error of `forecast` against `actual`, with a scale from {@link naiveScale}. */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - forecast[i]!);
  return sum / actual.length / scale;
}

/**
 * Symmetric mean absolute percentage error in percent: mean of 200·|a − f| / (|a| + |f|), a term
 * with a = f = 0 counting as 0 (a correct forecast of no incident).
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const f = forecast[i]!;
    const d = Math.abs(a) + Math.abs(f);
    sum += d === 0 ? 0 : (200 * Math.abs(a - f)) / d;
  }
  return sum / actual.length;
}

/** Share of `actual` values inside [lower, upper] (bounds included). */
export function coverage(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return inside / actual.length;
}

/**
 * Origins of a rolling-origin evaluation: `folds` consecutive windows of `horizon` steps ending at
 * the series' end; fold k trains on everything before `length − (folds − k)·horizon`.
 */
export function rollingOrigins(length: number, folds: number, horizon: number): number[] {
  if (!Number.isInteger(folds) || folds < 1)
    throw new EngineError('VALIDATION_ERROR', `folds must be a whole number ≥ 1, got ${folds}`);
  const first = length - folds * horizon;
  if (first < 1) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `${folds} folds of ${horizon} steps leave no history in ${length} values`,
    );
  }
  return Array.from({ length: folds }, (_, k) => first + k * horizon);
}

/**
 * Scores given forecasts, one per origin, against the series: MASE (scale: seasonal naive with
 * period `m` on each fold's own history), sMAPE and, where bounds are given, interval coverage.
 * Used for our algorithms and for reference forecasts computed elsewhere (statsmodels) alike.
 */
export function scoreFolds(
  values: ArrayLike<number>,
  origins: readonly number[],
  horizon: number,
  m: number,
  forecasts: readonly FoldForecast[],
): ForecastScores {
  const all = Array.from(values);
  let covered = 0;
  let bounded = 0;
  const folds = origins.map((origin, k): FoldScores => {
    const f = forecasts[k]!;
    const actual = all.slice(origin, origin + horizon);
    const c = f.lower && f.upper ? coverage(actual, f.lower, f.upper) : null;
    if (c !== null) {
      covered += c * actual.length;
      bounded += actual.length;
    }
    return {
      origin,
      mase: mase(actual, f.point, naiveScale(all.slice(0, origin), m)),
      smape: smape(actual, f.point),
      coverage: c,
    };
  });
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    mase: mean(folds.map((f) => f.mase)),
    smape: mean(folds.map((f) => f.smape)),
    coverage: bounded > 0 ? covered / bounded : null,
    folds,
  };
}

/** A forecaster to evaluate: `forecast` itself, or any function with its signature. */
export type Forecaster = (series: ForecastSeries, options: ForecastOptions) => Promise<ForecastResult>;

/**
 * Rolling-origin evaluation of a forecaster on a series: `folds` folds of `options.horizon` steps
 * at the series' end, each forecast from the history before its origin, scored by
 * {@link scoreFolds} with the seasonal naive period of the whole series' seasonal periods.
 */
export async function evaluateRollingOrigin(
  series: ForecastSeries,
  options: ForecastOptions & { folds: number },
  forecaster: Forecaster,
): Promise<ForecastScores & { results: ForecastResult[] }> {
  const regular = toRegularSeries(series, options.gaps);
  const { values, start, stepMs } = regular;
  const origins = rollingOrigins(values.length, options.folds, options.horizon);
  const periods = seasonalPeriodsFor(origins[0]!, stepMs, options.seasonalPeriods);
  const timestamps = values.map((_, i) => start + i * stepMs);
  const results: ForecastResult[] = [];
  for (const origin of origins) {
    const history = { timestamps: timestamps.slice(0, origin), values: values.slice(0, origin) };
    results.push(await forecaster(history, { ...options, seasonalPeriods: periods }));
  }
  const forecasts = results.map((r) => ({
    point: r.points.map((p) => p.value),
    lower: r.points.map((p) => p.lower),
    upper: r.points.map((p) => p.upper),
  }));
  return { ...scoreFolds(values, origins, options.horizon, naivePeriod(periods), forecasts), results };
}
