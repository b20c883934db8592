import { EngineError } from '../../errors.ts';
import { selectAlarms } from '../kernels/alarm-budget.ts';
import type { SeasonalEsdResult } from '../kernels/seasonal-esd.ts';
import { fitSeasonal, type SeriesContext } from './detect-build.ts';
import { runMethod } from './detect-methods.ts';
import { inferPeriods, resolveSettings } from './detect-settings.ts';
import type { AlarmBudget, Detection, DetectOptions, DetectorMethod, SeriesInput } from './detect-types.ts';

export {
  type AlarmBudget,
  type Detection,
  type DetectOptions,
  type DetectorMethod,
  detectorMethods,
  type SeriesInput,
} from './detect-types.ts';

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
