import { generalizedEsd } from './gesd.ts';
import { median, scaledMad } from './order-stats.ts';
import { type StlOptions, stl } from './stl.ts';

/** Options of {@link seasonalDecompose}. */
interface DecomposeOptions {
  /** Seasonal periods in points; those under 2 or longer than half the series are skipped. */
  readonly periods: readonly number[];
  /** STL settings shared by every period (period itself is set per period); default robust with R's jumps. */
  readonly stl?: Omit<StlOptions, 'period'>;
  /** Passes over the periods (MSTL); default 2 when there are several periods, else 1. */
  readonly iterations?: number;
}

/** Result of {@link seasonalDecompose}. */
interface Decomposition {
  /** Sum of the seasonal components. */
  readonly seasonal: Float64Array;
  /** Trend of the last STL pass. */
  readonly trend: Float64Array;
  /** Periods actually used. */
  readonly periods: number[];
  /** Strength of seasonality per used period, max(0, 1 − Var(R)/Var(S + R)) (Wang, Smith & Hyndman 2006). */
  readonly strength: number[];
}

/**
 * STL settings for anomaly detection: a periodic seasonal component (R's `s.window = "periodic"`:
 * seasonal window 10·n + 1, degree 0, as Twitter's AnomalyDetection uses), robust, with R's default
 * jumps (ceil(window/10)). A periodic seasonal is a robust weighted mean of each phase over all
 * cycles, so a one-off spike cannot become "seasonal" even with few cycles, while a regular
 * Monday-morning peak does; the jumps cut the smoothing cost tenfold.
 */
export function defaultStlSettings(period: number, length: number): Omit<StlOptions, 'period'> {
  const seasonal = 10 * length + 1;
  const trendLen = Math.ceil((1.5 * period) / (1 - 1.5 / seasonal));
  const trend = trendLen % 2 === 0 ? trendLen + 1 : trendLen;
  const lowPass = period % 2 === 0 ? period + 1 : period + 2;
  return {
    seasonal,
    seasonalDeg: 0,
    trend,
    lowPass,
    seasonalJump: Math.ceil(seasonal / 10),
    trendJump: Math.ceil(trend / 10),
    lowPassJump: Math.ceil(lowPass / 10),
    robust: true,
    innerIterations: 2,
    outerIterations: 3,
  };
}

/**
 * Multiple-seasonal STL (Bandara, Hyndman & Bergmeir 2021, "MSTL"): periods in ascending order, each
 * STL fitted on the series minus the other seasonal components, repeated `iterations` times. Missing
 * values are filled by linear interpolation first. Cost: iterations × periods STL fits.
 */
function seasonalDecompose(values: ArrayLike<number>, options: DecomposeOptions): Decomposition {
  const y = interpolateMissing(values);
  const n = y.length;
  const periods = [...new Set(options.periods.map((p) => Math.round(p)))]
    .filter((p) => p >= 2 && 2 * p <= n)
    .sort((a, b) => a - b);
  const comps: Float64Array[] = periods.map(() => new Float64Array(n));
  let trend: Float64Array = new Float64Array(n);
  const iterations = options.iterations ?? (periods.length > 1 ? 2 : 1);
  const work = new Float64Array(n);
  let resid: Float64Array = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let p = 0; p < periods.length; p++) {
      work.set(y);
      for (let q = 0; q < periods.length; q++) {
        if (q === p) continue;
        const c = comps[q]!;
        for (let i = 0; i < n; i++) work[i]! -= c[i]!;
      }
      const period = periods[p]!;
      const fit = stl(work, { ...(options.stl ?? defaultStlSettings(period, n)), period });
      comps[p] = fit.seasonal;
      trend = fit.trend;
      resid = fit.resid;
    }
  }
  const seasonal = new Float64Array(n);
  for (const c of comps) for (let i = 0; i < n; i++) seasonal[i]! += c[i]!;
  if (periods.length === 0) {
    const m = median(y);
    trend.fill(m);
    for (let i = 0; i < n; i++) resid[i] = y[i]! - m;
  }
  const varR = variance(resid);
  const strength = comps.map((c) => {
    const sr = new Float64Array(n);
    for (let i = 0; i < n; i++) sr[i] = c[i]! + resid[i]!;
    const v = variance(sr);
    return v > 0 ? Math.max(0, 1 - varR / v) : 0;
  });
  return { seasonal, trend, periods, strength };
}

/** Options of {@link seasonalHybridEsd}. */
export interface SeasonalEsdOptions extends DecomposeOptions {
  /** Significance level of the ESD test. */
  readonly alpha: number;
  /** Largest share of points that may be anomalous (Twitter's `max_anoms`). */
  readonly maxAnomalyFraction: number;
  /**
   * Length in points of the blocks over which the level is a median (Twitter's piecewise median);
   * default the whole series.
   */
  readonly medianBlock?: number;
  /**
   * Standardise the residual by its spread at each phase of the shortest period before the test
   * (default true when there is a period): seasonal series are often heteroscedastic (a busy Monday
   * varies more than a quiet night, a daily ramp is noisier than a plateau), and one global scale
   * would flag every regular ramp.
   */
  readonly phaseScale?: boolean;
}

/** Result of {@link seasonalHybridEsd}. */
export interface SeasonalEsdResult {
  /** Indices of the anomalies, most extreme first. */
  readonly anomalies: Int32Array;
  /** ESD statistic R_i of each anomaly (robust z of the residual). */
  readonly statistics: Float64Array;
  /** ESD critical value λ_i of each anomaly. */
  readonly criticals: Float64Array;
  /** Expected value per point: seasonal + piecewise median. */
  readonly expected: Float64Array;
  /** Residual y − expected per point. */
  readonly residual: Float64Array;
  /** Scale of the residual at each point (per phase of the shortest period; 1 when not per phase). */
  readonly pointScale: Float64Array;
  /** Robust centre and scale of the clean standardised residual (residual / pointScale). */
  readonly zCenter: number;
  readonly zScale: number;
  readonly decomposition: Decomposition;
}

/**
 * Seasonal hybrid ESD (Hochenbaum, Vallis & Kejariwal 2017, "Automatic Anomaly Detection in the
 * Cloud Via Statistical Learning", Twitter's AnomalyDetection): the residual of y after removing the
 * STL seasonal component and the (piecewise) median — not the STL trend, which would bend towards
 * long anomalies — tested with the robust generalised ESD (median and MAD). A regular Monday-morning
 * peak sits in the seasonal component and is not flagged. Cost: the decomposition plus O(n·k).
 */
export function seasonalHybridEsd(values: ArrayLike<number>, options: SeasonalEsdOptions): SeasonalEsdResult {
  const y = interpolateMissing(values);
  const n = y.length;
  const decomposition = seasonalDecompose(y, options);
  const expected = new Float64Array(n);
  const residual = new Float64Array(n);
  const block = Math.max(1, Math.floor(options.medianBlock ?? n));
  const deseason = new Float64Array(n);
  for (let i = 0; i < n; i++) deseason[i] = y[i]! - decomposition.seasonal[i]!;
  for (let s = 0; s < n; s += block) {
    // A short tail block joins the previous one so its median rests on enough points.
    let e = Math.min(n, s + block);
    if (n - e < block / 2) e = n;
    const m = median(deseason.subarray(s, e));
    for (let i = s; i < e; i++) {
      expected[i] = decomposition.seasonal[i]! + m;
      residual[i] = y[i]! - expected[i]!;
    }
    if (e === n) break;
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) residual[i] = Number.NaN;
  const period = decomposition.periods[0];
  const pointScale =
    period !== undefined && (options.phaseScale ?? true)
      ? phaseScales(residual, period)
      : new Float64Array(n).fill(1);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = residual[i]! / pointScale[i]!;
  const k = Math.max(1, Math.floor(options.maxAnomalyFraction * n));
  const esd = generalizedEsd(z, { maxOutliers: k, alpha: options.alpha, robust: true });
  return {
    anomalies: esd.indices.slice(0, esd.count),
    statistics: esd.statistics.slice(0, esd.count),
    criticals: esd.criticals.slice(0, esd.count),
    expected,
    residual,
    pointScale,
    zCenter: esd.center,
    zScale: esd.scale,
    decomposition,
  };
}

/**
 * Robust spread of the residual at each phase of `period`: the scaled MAD over the points whose
 * phase is within ±w of it (w = period / 48 and at least one phase, so about an hour at any sampling,
 * widened until the bucket holds 30 points so a MAD of a handful of values cannot be tiny by luck),
 * floored at half the global scale so a phase that happened to be calm cannot make ordinary noise
 * look extreme. Cost O(n log n).
 */
function phaseScales(residual: Float64Array, period: number): Float64Array {
  const n = residual.length;
  const global = robustScale(residual);
  const cycles = Math.max(1, Math.floor(n / period));
  let w = Math.max(1, Math.round(period / 48));
  while ((2 * w + 1) * cycles < 30 && 2 * w + 1 < period) w++;
  const byPhase = new Float64Array(period);
  const bucket: number[] = [];
  for (let phase = 0; phase < period; phase++) {
    bucket.length = 0;
    for (let d = -w; d <= w; d++) {
      const ph = (((phase + d) % period) + period) % period;
      for (let i = ph; i < n; i += period) if (Number.isFinite(residual[i]!)) bucket.push(residual[i]!);
    }
    byPhase[phase] = Math.max(robustScale(bucket), 0.5 * global);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = byPhase[i % period]!;
  return out;
}

/** Scaled MAD about the median; mean absolute deviation · √(π/2) when the MAD is 0; 1 when both are. */
function robustScale(v: ArrayLike<number>): number {
  const m = median(v);
  const s = scaledMad(v, m);
  if (s > 0) return s;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) continue;
    sum += Math.abs(v[i]! - m);
    c++;
  }
  const meanAd = c > 0 ? (sum / c) * Math.sqrt(Math.PI / 2) : 0;
  return meanAd > 0 ? meanAd : 1;
}

/** Linear interpolation over NaN runs; leading and trailing NaN take the nearest value. */
function interpolateMissing(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const y = Float64Array.from(values);
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(y[i]!)) continue;
    if (last === -1 && i > 0) y.fill(y[i]!, 0, i);
    else if (last >= 0 && i - last > 1) {
      const a = y[last]!;
      const step = (y[i]! - a) / (i - last);
      for (let j = last + 1; j < i; j++) y[j] = a + step * (j - last);
    }
    last = i;
  }
  if (last === -1) y.fill(0);
  else if (last < n - 1) y.fill(y[last]!, last + 1);
  return y;
}

function variance(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  const m = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i]! - m) ** 2;
  return ss / Math.max(1, v.length - 1);
}
