import { cusum } from '../kernels/cusum.ts';
import { generalizedEsd } from '../kernels/gesd.ts';
import { isolationForest, windowFeatures } from '../kernels/isolation-forest.ts';
import { potThreshold } from '../kernels/pot.ts';
import { robustZScores } from '../kernels/robust-z.ts';
import { normalSf } from '../kernels/special-functions.ts';
import { rollingMadBand, staticThreshold } from '../kernels/thresholds.ts';
import {
  build,
  countFinite,
  deseasonalised,
  esdPointPValue,
  familyConfidence,
  fromPoints,
  median3,
  type PointInfo,
  type SeriesContext,
} from './detect-build.ts';
import type { Detection, DetectorMethod } from './detect-types.ts';

/** Runs one detector over the series and returns its post-processed detections. */
export function runMethod(method: DetectorMethod, ctx: SeriesContext): Detection[] {
  return detectorRunners[method](ctx);
}

function robustZ(ctx: SeriesContext): Detection[] {
  const { center, scale, scores } = robustZScores(ctx.values);
  const z = ctx.settings.zThreshold;
  const n = countFinite(ctx.values);
  const info = new Map<number, PointInfo>();
  for (let i = 0; i < scores.length; i++) {
    const s = Math.abs(scores[i]!);
    if (!(s > z)) continue;
    const p = 2 * normalSf(s);
    info.set(i, {
      expected: center,
      lower: center - z * scale,
      upper: center + z * scale,
      score: s,
      threshold: z,
      pValue: p,
      confidence: familyConfidence(p, n),
    });
  }
  return fromPoints('robust_z', ctx, info);
}

function gesd(ctx: SeriesContext): Detection[] {
  const n = countFinite(ctx.values);
  const k = Math.max(1, Math.floor(ctx.settings.maxAnomalyFraction * n));
  const r = generalizedEsd(ctx.values, { maxOutliers: k, alpha: ctx.settings.alpha });
  const info = new Map<number, PointInfo>();
  for (let i = 0; i < r.count; i++) {
    const m = n - i;
    const lambda = r.criticals[i]!;
    const p = esdPointPValue(r.statistics[i]!, m);
    info.set(r.indices[i]!, {
      expected: r.center,
      lower: r.center - lambda * r.scale,
      upper: r.center + lambda * r.scale,
      score: r.statistics[i]!,
      threshold: lambda,
      pValue: p,
      confidence: familyConfidence(p, m),
    });
  }
  return fromPoints('gesd', ctx, info);
}

function seasonalEsd(ctx: SeriesContext): Detection[] {
  const fit = ctx.seasonalFit();
  const n = countFinite(ctx.values);
  // ESD assumes Gaussian-like residuals; real residuals have heavier tails, so a point must also pass
  // the extreme-value threshold of the standardised residual's own tail. The tail is fitted without
  // the ESD outliers (as SPOT calibrates on normal data), or a storm would fatten the very tail that
  // is meant to judge it.
  const absZ = new Float64Array(fit.residual.length);
  for (let i = 0; i < absZ.length; i++)
    absZ[i] = Math.abs(fit.residual[i]! / fit.pointScale[i]! - fit.zCenter) / fit.zScale;
  const clean = Float64Array.from(absZ);
  for (const i of fit.anomalies) clean[i] = Number.NaN;
  const floor = Math.max(
    ctx.settings.esdMinScore,
    potThreshold(clean, { risk: ctx.settings.tailRisk }).threshold,
  );
  const info = new Map<number, PointInfo>();
  for (let i = 0; i < fit.anomalies.length; i++) {
    const idx = fit.anomalies[i]!;
    if (fit.statistics[i]! < floor) continue;
    const m = n - i;
    const lambda = fit.criticals[i]!;
    const e = fit.expected[idx]! + fit.zCenter * fit.pointScale[idx]!;
    const half = lambda * fit.zScale * fit.pointScale[idx]!;
    const p = esdPointPValue(fit.statistics[i]!, m);
    info.set(idx, {
      expected: e,
      lower: e - half,
      upper: e + half,
      score: fit.statistics[i]!,
      threshold: lambda,
      pValue: p,
      confidence: familyConfidence(p, m),
    });
  }
  return fromPoints('seasonal_esd', ctx, info);
}

/** Two-sided CUSUM on the deseasonalised series; each alarm is one window from change point to alarm. */
function levelShifts(ctx: SeriesContext): Detection[] {
  const y = deseasonalised(ctx);
  const { cusumDrift: k, cusumThreshold: h } = ctx.settings;
  // σ is the robust spread of the level itself, not of the first differences: real series wander
  // (autocorrelated noise), and a σ taken from the differences would call every wander a shift.
  const { alarms, sigma } = cusum(y, {
    drift: k,
    threshold: h,
    warmup: Math.max(20, ctx.periods[0] ?? 0),
    sigma: Math.max(robustZScores(y).scale, 1e-9 * Math.abs(median3(y, 0, y.length - 1)), Number.MIN_VALUE),
    minShift: 2,
  });
  const n = y.length;
  let lastEnd = Number.NEGATIVE_INFINITY;
  return alarms
    .filter((a) => {
      // A shift that starts inside the suppression window of the previous alarm is the same event.
      if (a.start - lastEnd <= ctx.settings.suppressionPoints) return false;
      lastEnd = a.alarm;
      return true;
    })
    .map((a) => {
      // Siegmund's approximation of the in-control run length at this statistic gives the chance that
      // a shift-free series of n points reaches it somewhere.
      const b = a.statistic + 1.166;
      const arl = (Math.exp(2 * k * b) - 2 * k * b - 1) / (2 * k * k) / 2;
      const point: PointInfo = {
        expected: a.reference,
        lower: a.reference - h * sigma,
        upper: a.reference + h * sigma,
        score: a.statistic,
        threshold: h,
        confidence: Math.max(0, Math.min(1, 1 - n / arl)),
      };
      return build('cusum', ctx, a.start, a.alarm, a.alarm, a.alarm - a.start + 1, point, a.shiftedLevel);
    });
}

function forest(ctx: SeriesContext): Detection[] {
  const y = deseasonalised(ctx);
  const window = 8;
  const features = windowFeatures(y, window);
  if (features.rows < 16) return [];
  const scores = isolationForest(features, { seed: 42 });
  const { center, scale } = robustZScores(scores);
  const { scale: yScale } = robustZScores(y);
  const cap = Math.max(1, Math.floor(ctx.settings.maxAnomalyFraction * features.rows));
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const info = new Map<number, PointInfo>();
  for (const r of order.slice(0, cap)) {
    const s = scores[r]!;
    if (!(s > ctx.settings.forestThreshold)) break;
    const i = r + window - 1;
    const expected = ctx.values[i]! - y[i]! + median3(y, i - window + 1, i - 1);
    const p = normalSf((s - center) / (scale || Number.MIN_VALUE));
    info.set(i, {
      expected,
      lower: expected - ctx.settings.zThreshold * yScale,
      upper: expected + ctx.settings.zThreshold * yScale,
      score: s,
      threshold: ctx.settings.forestThreshold,
      pValue: p,
      confidence: familyConfidence(p, features.rows),
    });
  }
  return fromPoints('isolation_forest', ctx, info);
}

function threshold(ctx: SeriesContext): Detection[] {
  const t = ctx.thresholds ?? {};
  const band = staticThreshold(ctx.values, t.lower, t.upper);
  const { scale } = robustZScores(ctx.values);
  const info = new Map<number, PointInfo>();
  for (let i = 0; i < band.flags.length; i++) {
    if (!band.flags[i]) continue;
    const v = ctx.values[i]!;
    const bound = v > band.upper[i]! ? band.upper[i]! : band.lower[i]!;
    info.set(i, {
      expected: band.center[i]!,
      lower: band.lower[i]!,
      upper: band.upper[i]!,
      score: Math.abs(v - bound) / (scale > 0 ? scale : 1),
      threshold: bound,
      confidence: 1,
    });
  }
  return fromPoints('threshold', ctx, info);
}

function dynamicThreshold(ctx: SeriesContext): Detection[] {
  const k = ctx.settings.zThreshold;
  const window = Math.max(12, ctx.periods[0] ?? 30);
  const band = rollingMadBand(ctx.values, window, k);
  const n = countFinite(ctx.values);
  const info = new Map<number, PointInfo>();
  for (let i = 0; i < band.flags.length; i++) {
    if (!band.flags[i]) continue;
    const c = band.center[i]!;
    const half = (band.upper[i]! - c) / k;
    const s = half > 0 ? Math.abs(ctx.values[i]! - c) / half : Number.POSITIVE_INFINITY;
    const p = 2 * normalSf(s);
    info.set(i, {
      expected: c,
      lower: band.lower[i]!,
      upper: band.upper[i]!,
      score: s,
      threshold: k,
      pValue: p,
      confidence: familyConfidence(p, n),
    });
  }
  return fromPoints('dynamic_threshold', ctx, info);
}

/**
 * The runner of each detector. Keyed by the one list of detectors (`detectorFamilies` in
 * `detect-types.ts`): the compiler refuses a detector without a runner or a runner without a name.
 */
const detectorRunners: { readonly [M in DetectorMethod]: (ctx: SeriesContext) => Detection[] } = {
  robust_z: robustZ,
  gesd,
  seasonal_esd: seasonalEsd,
  cusum: levelShifts,
  isolation_forest: forest,
  threshold,
  dynamic_threshold: dynamicThreshold,
};
