import { EngineError } from '../errors.ts';
import type { AnomalyType } from '../schema/enums.ts';
import { fitSeasonal, type SeriesContext } from './detect-build.ts';
import { runMethod } from './detect-methods.ts';
import { inferPeriods, resolveSettings } from './detect-settings.ts';
import { selectAlarms } from './kernels/alarm-budget.ts';
import type { SeasonalEsdResult } from './kernels/seasonal-esd.ts';

/** One series to examine: a key, ascending epoch-millisecond timestamps and values of equal length. */
export interface SeriesInput {
  /** Caller's name for the series (e.g. `incident_count:service=checkout:hour`); copied to detections. */
  readonly key: string;
  /** Epoch milliseconds, ascending. */
  readonly timestamps: ArrayLike<number>;
  /** Observed values; NaN marks a missing point. */
  readonly values: ArrayLike<number>;
}

/** The detectors {@link detectSeriesAnomalies} can run. */
export type DetectorMethod =
  | 'robust_z'
  | 'gesd'
  | 'seasonal_esd'
  | 'cusum'
  | 'isolation_forest'
  | 'threshold'
  | 'dynamic_threshold';

/** Every {@link DetectorMethod}, in a stable order. */
export const detectorMethods: readonly DetectorMethod[] = [
  'robust_z',
  'gesd',
  'seasonal_esd',
  'cusum',
  'isolation_forest',
  'threshold',
  'dynamic_threshold',
];

/** Options of {@link detectSeriesAnomalies}. Every field is optional; defaults are documented per field. */
export interface DetectOptions {
  /** Detectors to run; default: seasonal ESD when a period is detectable (robust z otherwise) plus CUSUM. */
  readonly methods?: readonly DetectorMethod[];
  /** Seasonal periods in points; inferred from the timestamp spacing (daily, weekly) when absent. */
  readonly seasonalPeriods?: readonly number[];
  /** Significance level of the ESD tests; default from `sensitivity` (0.001 / 0.01 / 0.05). */
  readonly alpha?: number;
  /** Upper bound on the share of points ESD may call anomalous; default 0.02. */
  readonly maxAnomalyFraction?: number;
  /** Scales every detector's threshold; default `'medium'`. */
  readonly sensitivity?: 'low' | 'medium' | 'high';
  /** Static bounds for the `threshold` method (either may be absent). */
  readonly thresholds?: { readonly lower?: number; readonly upper?: number };
  /** Minimum flagged points within one merged alarm for it to be reported; default 1. */
  readonly minHits?: number;
  /** Points after an alarm during which new alarms of the same detector are folded into it; default 0. */
  readonly suppressionPoints?: number;
  /**
   * Alarm budget applied to the merged detections of the series (see {@link AlarmBudget}); `false`
   * turns it off. Default: on with the {@link AlarmBudget} defaults when `methods` is absent (the
   * default profile), off when `methods` is given.
   */
  readonly alarmBudget?: AlarmBudget | false;
}

/**
 * Bounds how many anomalies one series reports: detections are ranked by magnitude (the distance
 * between observed and expected value at the peak, times the square root of the flagged points) and
 * kept from the largest down, at most one per `pointsPerAlarm` points of the series (at least one),
 * none within six hours of a stronger one (that is the same event), and none whose magnitude is below
 * `relativeScore` times the largest. A series full of similar flags reports its strongest event; an
 * isolated extreme survives. The magnitude is in the series' own unit and compared only within it.
 */
export interface AlarmBudget {
  /** Points of the series per allowed alarm; default 2,000 (≈ one a week of five-minute data). */
  readonly pointsPerAlarm?: number;
  /** Share of the largest magnitude a detection must reach, in [0, 1]; default 0.4. */
  readonly relativeScore?: number;
}

/** One anomaly: a merged window of flagged points of one series by one detector. */
export interface Detection {
  /** {@link SeriesInput.key} of the series. */
  readonly seriesKey: string;
  /** Detector that produced it. */
  readonly method: DetectorMethod;
  /** The spec's anomaly family of the detector. */
  readonly anomalyType: AnomalyType;
  /** First flagged timestamp (epoch ms, inclusive). */
  readonly start: number;
  /** Last flagged timestamp (epoch ms, inclusive). */
  readonly end: number;
  /** Timestamp of the most anomalous point (epoch ms). */
  readonly peakTimestamp: number;
  /** Observed value at the peak. */
  readonly observed: number;
  /** Expected value at the peak (median, seasonal fit, baseline level, ...). */
  readonly expected: number;
  /** Lower edge of the normal band at the peak, in the series' unit. */
  readonly lower: number;
  /** Upper edge of the normal band at the peak, in the series' unit. */
  readonly upper: number;
  /** anomaly_score: larger is more anomalous (robust z units for statistical detectors). */
  readonly score: number;
  /** p-value of the peak under the detector's null hypothesis, where it has one. */
  readonly pValue?: number;
  /** Confidence in [0, 1] that this is a real anomaly (1 − p-value, or a calibrated score). */
  readonly confidence: number;
  /** threshold_used: the score the peak had to exceed. */
  readonly threshold: number;
  /** Number of flagged points merged into this detection. */
  readonly pointCount: number;
}

/**
 * Runs the chosen detectors over one series and returns its anomalies, post-processed: flagged points
 * of one detector within three hours (and at least three points) of each other form one alarm, alarms with fewer than `minHits`
 * points are dropped, alarms inside the suppression window of the previous one are folded into it,
 * and overlapping alarms of different detectors become one detection (the most confident one, its
 * window widened to the union). Sorted by start. Pure: no I/O, no clock, deterministic (seeded).
 *
 * Default methods: seasonal hybrid ESD (which reduces to the robust generalised ESD on the median
 * residual when no daily or weekly period is both inferable from the spacing and strong, seasonal
 * strength ≥ 0.3) plus CUSUM for level shifts, with the default {@link AlarmBudget}.
 *
 * @throws EngineError VALIDATION_ERROR when timestamps and values differ in length, timestamps ever
 * decrease, a value is infinite, an option is out of range, or `threshold` is requested without
 * `thresholds`.
 */
export function detectSeriesAnomalies(series: SeriesInput, options: DetectOptions = {}): Detection[] {
  const values = validateSeries(series);
  const settings = resolveSettings(options);
  if (
    options.methods?.includes('threshold') &&
    options.thresholds?.lower === undefined &&
    options.thresholds?.upper === undefined
  ) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'the threshold method needs thresholds.lower or thresholds.upper',
      {
        option: 'thresholds',
      },
    );
  }
  const n = values.length;
  if (n < 8) return [];
  let periods = (options.seasonalPeriods ?? []).filter((p) => 2 * p <= n);
  let fit: SeasonalEsdResult | undefined;
  if (!options.seasonalPeriods) {
    const candidates = inferPeriods(series.timestamps);
    if (candidates.length > 0) {
      fit = fitSeasonal(values, candidates, settings);
      const strong = fit.decomposition.periods.filter(
        (_, i) => (fit!.decomposition.strength[i] ?? 0) >= minStrength,
      );
      if (strong.length !== fit.decomposition.periods.length) fit = undefined;
      periods = strong;
    }
  }
  const spacing = spacingOf(series.timestamps);
  // Flags within three hours (at least three points) of each other are one storm.
  const mergeGap = spacing > 0 ? Math.max(3, Math.round(mergeWindowMs / spacing)) : 3;
  const ctx: SeriesContext = {
    series,
    values,
    settings,
    mergeGap,
    periods,
    seasonalFit: () => {
      fit ??= fitSeasonal(values, periods, settings);
      return fit;
    },
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
  };
  const methods: readonly DetectorMethod[] = options.methods ?? ['seasonal_esd', 'cusum'];
  const all = [...new Set(methods)].flatMap((m) => runMethod(m, ctx));
  const merged = mergeAcrossMethods(all, spacing * mergeGap);
  const budget = options.alarmBudget ?? (options.methods ? false : {});
  return budget === false ? merged : applyBudget(merged, budget, n);
}

/** Keeps the detections the {@link AlarmBudget} allows (see there), in start order. */
function applyBudget(detections: Detection[], budget: AlarmBudget, n: number): Detection[] {
  const perAlarm = budget.pointsPerAlarm ?? 2000;
  const relativeScore = budget.relativeScore ?? 0.4;
  const kept = selectAlarms(
    detections.map((d) => ({
      start: d.start,
      end: d.end,
      score: Math.abs(d.observed - d.expected) * Math.sqrt(d.pointCount),
    })),
    { maxAlarms: Math.max(1, Math.floor(n / perAlarm)), relativeScore, exclusion: exclusionMs },
  );
  return kept.map((i) => detections[i]!);
}

/** Flags of one detector closer than this (and than three points) merge into one alarm. */
const mergeWindowMs = 3 * 3_600_000;

/** Detections closer than this to a stronger kept one are the same event (twice the merge window). */
const exclusionMs = 2 * mergeWindowMs;

/** Minimum seasonal strength for an inferred period to be used. */
const minStrength = 0.3;

/**
 * Library entry: detects anomalies in one series or several, in-process (no engine, no workers).
 * For many long series use `engine.anomalies.detect`, which spreads them over the worker pool.
 *
 * @throws EngineError VALIDATION_ERROR as {@link detectSeriesAnomalies}.
 */
export function detectAnomalies(
  series: SeriesInput | readonly SeriesInput[],
  options: DetectOptions = {},
): Detection[] {
  const list: readonly SeriesInput[] = isSeriesList(series) ? series : [series];
  return list.flatMap((s) => detectSeriesAnomalies(s, options));
}

function isSeriesList(v: SeriesInput | readonly SeriesInput[]): v is readonly SeriesInput[] {
  return Array.isArray(v);
}

function validateSeries(series: SeriesInput): Float64Array {
  const n = series.values.length;
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new EngineError('VALIDATION_ERROR', `series ${series.key}: ${message}`, {
      key: series.key,
      ...details,
    });
  };
  if (typeof series.key !== 'string') fail('key must be a string');
  if (series.timestamps.length !== n) {
    fail('timestamps and values differ in length', { timestamps: series.timestamps.length, values: n });
  }
  const values = Float64Array.from(series.values);
  for (let i = 0; i < n; i++) {
    const t = series.timestamps[i]!;
    if (!Number.isFinite(t)) fail(`timestamp ${i} is not a finite number`, { index: i });
    // Equal neighbours are allowed: real feeds repeat a timestamp now and then (NAB's ec2 latency does).
    if (i > 0 && t < series.timestamps[i - 1]!)
      fail(`timestamps must be ascending (index ${i})`, { index: i });
    const v = values[i]!;
    if (!Number.isNaN(v) && !Number.isFinite(v)) fail(`value ${i} is infinite`, { index: i });
  }
  return values;
}

function spacingOf(timestamps: ArrayLike<number>): number {
  const n = timestamps.length;
  if (n < 2) return 0;
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = timestamps[i]! - timestamps[i - 1]!;
  return gaps.sort()[(n - 1) >> 1]!;
}

/** Overlapping (or within `gapMs`) detections of different detectors become the most confident one. */
function mergeAcrossMethods(detections: Detection[], gapMs: number): Detection[] {
  const sorted = detections.sort((a, b) => a.start - b.start || b.confidence - a.confidence);
  const out: Detection[] = [];
  for (const d of sorted) {
    const last = out.at(-1);
    if (last && d.start <= last.end + gapMs) {
      const best =
        d.confidence > last.confidence || (d.confidence === last.confidence && d.score > last.score)
          ? d
          : last;
      out[out.length - 1] = {
        ...best,
        start: Math.min(last.start, d.start),
        end: Math.max(last.end, d.end),
        pointCount: last.pointCount + d.pointCount,
      };
    } else out.push(d);
  }
  return out;
}
