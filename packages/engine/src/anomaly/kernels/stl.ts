/** Options of {@link stl}; defaults follow statsmodels' `STL`. */
export interface StlOptions {
  /** Period in points (≥ 2). */
  readonly period: number;
  /** Seasonal smoother length (odd, ≥ 3); default 7. */
  readonly seasonal?: number;
  /** Trend smoother length (odd); default the smallest odd ≥ 1.5·period / (1 − 1.5/seasonal). */
  readonly trend?: number;
  /** Low-pass smoother length (odd); default the smallest odd > period. */
  readonly lowPass?: number;
  /** LOESS degrees (0 or 1); default 1 each. */
  readonly seasonalDeg?: number;
  readonly trendDeg?: number;
  readonly lowPassDeg?: number;
  /** Evaluate each smoother every `jump` points and interpolate linearly; default 1 each (exact). */
  readonly seasonalJump?: number;
  readonly trendJump?: number;
  readonly lowPassJump?: number;
  /** Robustness iterations on; default false. */
  readonly robust?: boolean;
  /** Inner-loop passes; default 2 when robust, 5 otherwise. */
  readonly innerIterations?: number;
  /** Outer (robustness) passes; default 15 when robust, 0 otherwise. */
  readonly outerIterations?: number;
}

/** Result of {@link stl}: y = seasonal + trend + resid. */
export interface StlResult {
  readonly seasonal: Float64Array;
  readonly trend: Float64Array;
  readonly resid: Float64Array;
  /** Robustness weights in [0, 1] (all 1 when not robust). */
  readonly weights: Float64Array;
}

const oddAtLeast = (v: number): number => {
  const r = Math.max(3, Math.ceil(v));
  return r % 2 === 0 ? r + 1 : r;
};

/**
 * Seasonal-trend decomposition by LOESS (Cleveland, Cleveland, McRae & Terpenning 1990, J. Official
 * Statistics 6(1)): an inner loop of cycle-subseries LOESS, a low-pass filter (moving averages of
 * length period, period, 3 then LOESS) and trend LOESS, and an outer loop of bisquare robustness
 * weights. A port of the reference Fortran (netlib `stl`), which statsmodels' `STL` also wraps, so
 * the results agree to rounding. No missing values. Cost O(n·(seasonal + lowPass + trend) / jump) per
 * inner pass.
 *
 * @throws RangeError when the series is shorter than two periods or the period is below 2.
 */
export function stl(y: ArrayLike<number>, options: StlOptions): StlResult {
  const n = y.length;
  const np = Math.floor(options.period);
  if (np < 2) throw new RangeError(`stl: period must be at least 2, got ${options.period}`);
  if (n < 2 * np) throw new RangeError(`stl: need at least two periods (${2 * np} points), got ${n}`);
  const ns = oddAtLeast(options.seasonal ?? 7);
  const nt = oddAtLeast(options.trend ?? (1.5 * np) / (1 - 1.5 / ns));
  const nl = oddAtLeast(options.lowPass ?? np + 1);
  const isdeg = options.seasonalDeg ?? 1;
  const itdeg = options.trendDeg ?? 1;
  const ildeg = options.lowPassDeg ?? 1;
  const nsjump = Math.max(1, options.seasonalJump ?? 1);
  const ntjump = Math.max(1, options.trendJump ?? 1);
  const nljump = Math.max(1, options.lowPassJump ?? 1);
  const robust = options.robust ?? false;
  const ni = options.innerIterations ?? (robust ? 2 : 5);
  const no = robust ? (options.outerIterations ?? 15) : 0;

  const yy = Float64Array.from(y);
  const rw = new Float64Array(n).fill(1);
  const season = new Float64Array(n);
  const trend = new Float64Array(n);
  const m = n + 2 * np;
  const ws = [
    new Float64Array(m),
    new Float64Array(m),
    new Float64Array(m),
    new Float64Array(m),
    new Float64Array(m),
  ] as const;
  const fit = new Float64Array(n);
  let userw = false;
  for (let k = 0; ; k++) {
    step(
      yy,
      n,
      np,
      ns,
      nt,
      nl,
      isdeg,
      itdeg,
      ildeg,
      nsjump,
      ntjump,
      nljump,
      ni,
      userw,
      rw,
      season,
      trend,
      ws,
    );
    if (k + 1 > no) break;
    for (let i = 0; i < n; i++) fit[i] = trend[i]! + season[i]!;
    robustnessWeights(yy, n, fit, rw);
    userw = true;
  }
  if (no <= 0) rw.fill(1);
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = yy[i]! - season[i]! - trend[i]!;
  return { seasonal: season, trend, resid, weights: rw };
}

type Work = readonly [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

function step(
  y: Float64Array,
  n: number,
  np: number,
  ns: number,
  nt: number,
  nl: number,
  isdeg: number,
  itdeg: number,
  ildeg: number,
  nsjump: number,
  ntjump: number,
  nljump: number,
  ni: number,
  userw: boolean,
  rw: Float64Array,
  season: Float64Array,
  trend: Float64Array,
  [w1, w2, w3, w4, w5]: Work,
): void {
  for (let j = 0; j < ni; j++) {
    for (let i = 0; i < n; i++) w1[i] = y[i]! - trend[i]!;
    subseriesSmooth(w1, n, np, ns, isdeg, nsjump, userw, rw, w2, w3, w4, w5);
    lowPassMovingAverages(w2, n + 2 * np, np, w3, w1);
    loess(w3, n, nl, ildeg, nljump, false, w4, w1);
    for (let i = 0; i < n; i++) season[i] = w2[np + i]! - w1[i]!;
    for (let i = 0; i < n; i++) w1[i] = y[i]! - season[i]!;
    loess(w1, n, nt, itdeg, ntjump, userw, rw, trend);
  }
}

/**
 * LOESS fit at abscissa xs (1-based) over y[nleft..nright] (1-based); NaN when all weights vanish.
 * The reference normalises tricube weights, then tilts them for the local line; the same value comes
 * from one pass of weighted moments about xs (Σw, Σw·d, Σw·d², Σw·y, Σw·d·y with d = j − xs), which
 * is what is computed here.
 */
function estimate(
  y: Float64Array,
  n: number,
  len: number,
  ideg: number,
  xs: number,
  nleft: number,
  nright: number,
  userw: boolean,
  rw: Float64Array,
): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let sy = 0;
  let sdy = 0;
  for (let j = nleft; j <= nright; j++) {
    const d = j - xs;
    const r = d < 0 ? -d : d;
    if (r > h9) continue;
    let wj: number;
    if (r <= h1) wj = 1;
    else {
      const q = r / h;
      const u = 1 - q * q * q;
      wj = u * u * u;
    }
    if (userw) wj *= rw[j - 1]!;
    const yj = y[j - 1]!;
    s0 += wj;
    s1 += wj * d;
    s2 += wj * d * d;
    sy += wj * yj;
    sdy += wj * d * yj;
  }
  if (s0 <= 0) return Number.NaN;
  const mean = sy / s0;
  if (h > 0 && ideg > 0) {
    const am = s1 / s0;
    const c = s2 / s0 - am * am;
    if (Math.sqrt(c) > 0.001 * range) {
      // Weights w·(1 + B(d − am)) with B = (xs − a)/c = −am/c in the shifted abscissa.
      return mean - (am / c) * (sdy / s0 - am * mean);
    }
  }
  return mean;
}

/** LOESS smoothing of y[0..n) into ys with window `len`, evaluated every `njump` points. */
function loess(
  y: Float64Array,
  n: number,
  len: number,
  ideg: number,
  njump: number,
  userw: boolean,
  rw: Float64Array,
  ys: Float64Array,
): void {
  if (n < 2) {
    ys[0] = y[0]!;
    return;
  }
  const newnj = Math.min(njump, n - 1);
  let nleft = 1;
  let nright = n;
  const put = (i: number): void => {
    const v = estimate(y, n, len, ideg, i, nleft, nright, userw, rw);
    ys[i - 1] = Number.isNaN(v) ? y[i - 1]! : v;
  };
  if (len >= n) {
    for (let i = 1; i <= n; i += newnj) put(i);
  } else if (newnj === 1) {
    const nsh = (len + 1) >> 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      put(i);
    }
  } else {
    const nsh = (len + 1) >> 1;
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      put(i);
    }
  }
  if (newnj !== 1) {
    for (let i = 1; i <= n - newnj; i += newnj) {
      const delta = (ys[i + newnj - 1]! - ys[i - 1]!) / newnj;
      for (let j = i + 1; j <= i + newnj - 1; j++) ys[j - 1] = ys[i - 1]! + delta * (j - i);
    }
    const k = Math.floor((n - 1) / newnj) * newnj + 1;
    if (k !== n) {
      put(n);
      if (k !== n - 1) {
        const delta = (ys[n - 1]! - ys[k - 1]!) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[j - 1] = ys[k - 1]! + delta * (j - k);
      }
    }
  }
}

/** Cycle-subseries smoothing, extended one period at each end: season has n + 2·np values. */
function subseriesSmooth(
  y: Float64Array,
  n: number,
  np: number,
  ns: number,
  isdeg: number,
  nsjump: number,
  userw: boolean,
  rw: Float64Array,
  season: Float64Array,
  work1: Float64Array,
  work2: Float64Array,
  work3: Float64Array,
): void {
  for (let j = 1; j <= np; j++) {
    const k = Math.floor((n - j) / np) + 1;
    for (let i = 1; i <= k; i++) work1[i - 1] = y[(i - 1) * np + j - 1]!;
    if (userw) for (let i = 1; i <= k; i++) work3[i - 1] = rw[(i - 1) * np + j - 1]!;
    const inner = work2.subarray(1);
    loess(work1, k, ns, isdeg, nsjump, userw, work3, inner);
    const first = estimate(work1, k, ns, isdeg, 0, 1, Math.min(ns, k), userw, work3);
    work2[0] = Number.isNaN(first) ? work2[1]! : first;
    const last = estimate(work1, k, ns, isdeg, k + 1, Math.max(1, k - ns + 1), k, userw, work3);
    work2[k + 1] = Number.isNaN(last) ? work2[k]! : last;
    for (let mm = 1; mm <= k + 2; mm++) season[(mm - 1) * np + j - 1] = work2[mm - 1]!;
  }
}

/** Moving average of length `len` of x[0..n) into ave[0..n−len]. */
function movingAverage(x: Float64Array, n: number, len: number, ave: Float64Array): void {
  const newn = n - len + 1;
  let v = 0;
  for (let i = 0; i < len; i++) v += x[i]!;
  ave[0] = v / len;
  for (let j = 1; j < newn; j++) {
    v += x[j + len - 1]! - x[j - 1]!;
    ave[j] = v / len;
  }
}

function lowPassMovingAverages(
  x: Float64Array,
  n: number,
  np: number,
  trend: Float64Array,
  work: Float64Array,
): void {
  movingAverage(x, n, np, trend);
  movingAverage(trend, n - np + 1, np, work);
  movingAverage(work, n - 2 * np + 2, 3, trend);
}

/** Bisquare robustness weights from the residuals, scaled by six times their median absolute value. */
function robustnessWeights(y: Float64Array, n: number, fit: Float64Array, rw: Float64Array): void {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = Math.abs(y[i]! - fit[i]!);
  const sorted = Float64Array.from(r).sort();
  const mid1 = (n >> 1) + 1;
  const mid2 = n - mid1 + 1;
  const cmad = 3 * (sorted[mid1 - 1]! + sorted[mid2 - 1]!);
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    if (ri <= c1) rw[i] = 1;
    else if (ri <= c9) {
      const u = ri / cmad;
      rw[i] = (1 - u * u) * (1 - u * u);
    } else rw[i] = 0;
  }
}
