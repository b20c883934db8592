import { type FlaggedPoint, mergeAlarms } from '../kernels/post-process.ts';
import { type SeasonalEsdResult, seasonalHybridEsd } from '../kernels/seasonal-esd.ts';
import { studentTSf } from '../kernels/student-t.ts';
import type { ResolvedSettings } from './detect-settings.ts';
import { type Detection, type DetectorMethod, detectorFamilies, type SeriesInput } from './detect-types.ts';

/** What a detector knows about one flagged point, for the detection built around it. */
export interface PointInfo {
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly score: number;
  readonly threshold: number;
  readonly pValue?: number;
  readonly confidence: number;
}

/** Per-series state shared by the detectors of one call. */
export interface SeriesContext {
  readonly series: SeriesInput;
  readonly values: Float64Array;
  readonly settings: ResolvedSettings;
  /** Flagged points at most this many points apart join one alarm. */
  readonly mergeGap: number;
  /** Seasonal periods to use (already checked against the length). */
  readonly periods: readonly number[];
  /** Seasonal-hybrid ESD fit, computed once and shared (its seasonal part feeds CUSUM and the forest). */
  readonly seasonalFit: () => SeasonalEsdResult;
  readonly thresholds?: { readonly lower?: number; readonly upper?: number };
}

/**
 * Family-wise confidence from a per-point p-value over m tests: 1 − min(1, m·p) (Bonferroni), so a
 * point exactly at an ESD critical value gets 1 − α.
 */
export function familyConfidence(pValue: number, m: number): number {
  return Math.max(0, Math.min(1, 1 - m * pValue));
}

/** Two-sided per-point p-value of an ESD statistic R among m points (R ↔ t with m − 2 dof). */
export function esdPointPValue(r: number, m: number): number {
  const denom = (m - 1) ** 2 - m * r * r;
  if (!(denom > 0)) return 0;
  const t = Math.sqrt((m * (m - 2) * r * r) / denom);
  return 2 * studentTSf(t, m - 2);
}

/** Merges the flagged points of one detector into alarms and builds a detection per alarm. */
export function fromPoints(
  method: DetectorMethod,
  ctx: SeriesContext,
  info: Map<number, PointInfo>,
): Detection[] {
  const points: FlaggedPoint[] = [...info].map(([index, p]) => ({ index, score: p.score }));
  const { minHits, suppressionPoints } = ctx.settings;
  const { mergeGap } = ctx;
  return mergeAlarms(points, { mergeGap, minHits, suppressionPoints }).map((w) => {
    const peak = info.get(w.peakIndex)!;
    return build(method, ctx, w.startIndex, w.endIndex, w.peakIndex, w.hits, peak, ctx.values[w.peakIndex]!);
  });
}

/** A {@link Detection} for points start..end of the series with its peak described by `p`. */
export function build(
  method: DetectorMethod,
  ctx: SeriesContext,
  start: number,
  end: number,
  peak: number,
  hits: number,
  p: PointInfo,
  observed: number,
): Detection {
  const ts = ctx.series.timestamps;
  return {
    seriesKey: ctx.series.key,
    method,
    anomalyType: detectorFamilies[method],
    start: ts[start]!,
    end: ts[end]!,
    peakTimestamp: ts[peak]!,
    observed,
    expected: p.expected,
    lower: p.lower,
    upper: p.upper,
    score: p.score,
    ...(p.pValue === undefined ? {} : { pValue: p.pValue }),
    confidence: p.confidence,
    threshold: p.threshold,
    pointCount: hits,
  };
}

/** The series minus its seasonal component (the series itself when there is no period). */
export function deseasonalised(ctx: SeriesContext): Float64Array {
  if (ctx.periods.length === 0) return ctx.values;
  const seasonal = ctx.seasonalFit().decomposition.seasonal;
  const y = new Float64Array(ctx.values.length);
  for (let i = 0; i < y.length; i++) y[i] = ctx.values[i]! - seasonal[i]!;
  return y;
}

/** Median of y[from..to] (clipped at 0). */
export function median3(y: Float64Array, from: number, to: number): number {
  const s = Float64Array.from(y.subarray(Math.max(0, from), to + 1)).sort();
  return s[s.length >> 1] ?? Number.NaN;
}

/** Number of finite values. */
export function countFinite(v: Float64Array): number {
  let c = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) c++;
  return c;
}

/** Runs the seasonal-hybrid ESD fit for a context (shared so it runs at most once per series). */
export function fitSeasonal(
  values: Float64Array,
  periods: readonly number[],
  settings: ResolvedSettings,
): SeasonalEsdResult {
  return seasonalHybridEsd(values, {
    periods,
    alpha: settings.alpha,
    maxAnomalyFraction: settings.maxAnomalyFraction,
  });
}
