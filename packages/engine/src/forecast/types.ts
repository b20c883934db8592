/**
 * Types of the forecast kernel: the series it takes, its options and the forecast it returns.
 */

/** Algorithms `forecast` can be asked for by name. */
export const forecastAlgorithms = ['PROPHET', 'MSTL_ETS', 'ARIMA', 'SEASONAL_NAIVE'] as const;

/** One of {@link forecastAlgorithms}. */
export type ForecastAlgorithm = (typeof forecastAlgorithms)[number];

/**
 * A series of counts: `timestamps` in milliseconds since the epoch, strictly increasing on a
 * regular step (gaps of whole steps allowed, see {@link ForecastOptions.gaps}), and one finite,
 * non-negative value per timestamp.
 */
export interface ForecastSeries {
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Options of `forecast`. */
export interface ForecastOptions {
  /** How many steps ahead to forecast: a whole number from 1 to 10,000. */
  horizon: number;
  /** The algorithm; without it the default ENSEMBLE (mean of PROPHET, MSTL_ETS and SEASONAL_NAIVE). */
  algorithm?: ForecastAlgorithm;
  /**
   * Seasonal periods in steps (whole numbers ≥ 2). Without it: 7 for a daily step, 24 and 168 for
   * an hourly step (each kept only where the history covers it twice), none otherwise.
   */
  seasonalPeriods?: readonly number[];
  /** The coverage of the prediction interval, strictly between 0 and 1; default 0.95. */
  level?: number;
  /** Missing steps inside the history: counted as 0 (`'zero'`, the default) or refused (`'refuse'`). */
  gaps?: 'zero' | 'refuse';
}

/** One forecast step. Value and bounds are clamped at 0 (counts are never negative). */
export interface ForecastPoint {
  /** Milliseconds since the epoch: the last timestamp plus a whole number of steps. */
  timestamp: number;
  value: number;
  lower: number;
  upper: number;
}

/** Why the asked-for (or chosen) algorithm was replaced by another. */
export interface ForecastFallback {
  from: ForecastAlgorithm;
  to: ForecastAlgorithm;
  reason: string;
}

/** What `forecast` returns. */
export interface ForecastResult {
  /**
   * The method that produced the points: the algorithm asked for, or `'ENSEMBLE'` (the mean of
   * PROPHET, MSTL_ETS and SEASONAL_NAIVE) when none was.
   */
  algorithm: ForecastAlgorithm | 'ENSEMBLE';
  points: ForecastPoint[];
  level: number;
  /** The inferred step between timestamps, in milliseconds. */
  stepMs: number;
  /** The seasonal periods used, in steps. */
  seasonalPeriods: number[];
  /** Missing steps that were filled with 0. */
  filledGaps: number;
  /** Set when a fit failed its check and seasonal naive answered in its place. */
  fallback?: ForecastFallback;
}

/** A fitted forecast on the regular grid, before timestamps and clamping. */
export interface RawForecast {
  point: number[];
  lower: number[];
  upper: number[];
}
