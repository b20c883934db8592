import { madScale } from './order-stats.ts';
import { studentTQuantile } from './student-t.ts';

/** Options of {@link generalizedEsd}. */
export interface GesdOptions {
  /** Upper bound k on the number of outliers tested (Rosner's r). */
  readonly maxOutliers: number;
  /** Significance level of the whole procedure, e.g. 0.05. */
  readonly alpha: number;
  /**
   * `false` (default): Rosner's test with mean and standard deviation. `true`: the robust variant of
   * Hochenbaum, Vallis & Kejariwal (2017) with median and scaled MAD in place of mean and sd.
   */
  readonly robust?: boolean;
}

/** Result of {@link generalizedEsd}. */
export interface GesdResult {
  /** Number of outliers found: the largest i with R_i > λ_i. */
  readonly count: number;
  /** Indices (into the input) of the tested points, in removal order; the first `count` are outliers. */
  readonly indices: Int32Array;
  /** Test statistic R_i of each removal (|x − centre| / scale of the remaining points). */
  readonly statistics: Float64Array;
  /** Critical value λ_i of each removal. */
  readonly criticals: Float64Array;
  /** Centre (mean or median) of the points left after removing the outliers. */
  readonly center: number;
  /** Scale (sd or scaled MAD) of the points left after removing the outliers. */
  readonly scale: number;
}

/**
 * Generalised extreme studentised deviate test for up to k outliers (Rosner 1983, Technometrics
 * 25(2); NIST/SEMATECH e-Handbook §1.3.5.17.3). λ_i = (n−i)·t_{p,n−i−1} / √((n−i−1+t²)(n−i+1)) with
 * p = 1 − α / (2(n−i+1)). NaN values are ignored.
 *
 * Cost: one sort, O(n log n), then O(1) per removal for the classic test and O(n) per removal for
 * the robust one, because the point farthest from any centre inside the range is always one of the
 * two ends of the sorted remainder, so removal just moves an end pointer.
 */
export function generalizedEsd(values: ArrayLike<number>, options: GesdOptions): GesdResult {
  const order = argsortFinite(values);
  const n = order.length;
  const k = Math.max(0, Math.min(Math.floor(options.maxOutliers), n - 3));
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = values[order[i]!]!;
  const indices = new Int32Array(k);
  const statistics = new Float64Array(k);
  const criticals = new Float64Array(k);
  let lo = 0;
  let hi = n - 1;
  // Shifted running sums keep the variance free of catastrophic cancellation.
  const shift = n > 0 ? sorted[n >> 1]! : 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const d = sorted[i]! - shift;
    sum += d;
    sumSq += d * d;
  }
  let count = 0;
  let center = Number.NaN;
  let scale = Number.NaN;
  const centerScale = (): void => {
    const m = hi - lo + 1;
    if (options.robust) {
      center = sortedMedian(sorted, lo, hi);
      scale = madScale * sortedMad(sorted, lo, hi, center);
    } else {
      const mean = sum / m;
      center = mean + shift;
      scale = Math.sqrt(Math.max(0, (sumSq - m * mean * mean) / (m - 1)));
    }
  };
  const loAt = new Int32Array(k + 1);
  const hiAt = new Int32Array(k + 1);
  loAt[0] = lo;
  hiAt[0] = hi;
  for (let i = 1; i <= k; i++) {
    centerScale();
    const dLo = center - sorted[lo]!;
    const dHi = sorted[hi]! - center;
    const takeHi = dHi >= dLo;
    const dev = takeHi ? dHi : dLo;
    const r = scale > 0 ? dev / scale : dev > 0 ? Number.POSITIVE_INFINITY : 0;
    const m = n - i + 1;
    const p = 1 - options.alpha / (2 * m);
    const t = studentTQuantile(p, m - 2);
    const lambda = ((m - 1) * t) / Math.sqrt((m - 2 + t * t) * m);
    indices[i - 1] = order[takeHi ? hi : lo]!;
    statistics[i - 1] = r;
    criticals[i - 1] = lambda;
    if (r > lambda) count = i;
    const removed = (takeHi ? sorted[hi]! : sorted[lo]!) - shift;
    sum -= removed;
    sumSq -= removed * removed;
    if (takeHi) hi--;
    else lo++;
    loAt[i] = lo;
    hiAt[i] = hi;
  }
  // Centre and scale of the clean remainder: the sorted range left after the first `count` removals.
  lo = loAt[count]!;
  hi = hiAt[count]!;
  sum = 0;
  sumSq = 0;
  for (let i = lo; i <= hi; i++) {
    const d = sorted[i]! - shift;
    sum += d;
    sumSq += d * d;
  }
  if (hi - lo >= 1) centerScale();
  return { count, indices, statistics, criticals, center, scale };
}

/** Indices of the finite values of `values`, ordered by value. */
function argsortFinite(values: ArrayLike<number>): Int32Array {
  let n = 0;
  const idx = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) idx[n++] = i;
  const out = idx.subarray(0, n);
  out.sort((a, b) => values[a]! - values[b]!);
  return out;
}

function sortedMedian(s: Float64Array, lo: number, hi: number): number {
  const m = hi - lo + 1;
  const mid = lo + (m >> 1);
  return m % 2 === 1 ? s[mid]! : 0.5 * (s[mid - 1]! + s[mid]!);
}

/** Median of |s[j] − c| over s[lo..hi] (ascending), by merging the two sorted deviation runs around c. */
function sortedMad(s: Float64Array, lo: number, hi: number, c: number): number {
  const m = hi - lo + 1;
  // First index with s[j] ≥ c.
  let a = lo;
  let b = hi + 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (s[mid]! < c) a = mid + 1;
    else b = mid;
  }
  let left = a - 1;
  let right = a;
  const k1 = (m - 1) >> 1;
  const k2 = m >> 1;
  let prev = 0;
  for (let taken = 0; taken <= k2; taken++) {
    const dl = left >= lo ? c - s[left]! : Number.POSITIVE_INFINITY;
    const dr = right <= hi ? s[right]! - c : Number.POSITIVE_INFINITY;
    let d: number;
    if (dl <= dr) {
      d = dl;
      left--;
    } else {
      d = dr;
      right++;
    }
    if (taken === k1) prev = d;
    if (taken === k2) return 0.5 * (prev + d);
  }
  return prev;
}
