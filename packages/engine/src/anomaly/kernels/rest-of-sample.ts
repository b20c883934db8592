import { type KsResult, kolmogorovSf } from './ks-two-sample.ts';

/**
 * Statistics of "the rest": a sorted sample `all` with a sorted sub-sample `part` (a multiset
 * drawn from it) taken out, computed from the two without building the rest. Testing a day's
 * delays against every other delay of a 10⁶-incident history then costs O(n log N) for the n
 * delays of the day, not O(N).
 */

/** How many values of ascending `sorted` are ≤ `x` (`strict`: < `x`). */
function countAtMost(sorted: ArrayLike<number>, x: number, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (strict ? v < x : v <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * {@link countAtMost} for a rising `x`: searches forward from `from` (the count of a smaller `x`)
 * with doubling steps, so n rising queries cost O(n log(N/n)) instead of O(n log N).
 */
function countAtMostFrom(sorted: ArrayLike<number>, x: number, from: number, strict: boolean): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < sorted.length && (strict ? sorted[hi]! < x : sorted[hi]! <= x)) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, sorted.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid]! < x : sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The two-sample Kolmogorov–Smirnov test of `part` against `all` minus `part`, equal (statistic
 * and p-value) to `ksTwoSampleSorted(rest, part)`. Between two distinct values of `part` the
 * empirical distribution of `part` is flat and that of the rest rises, so the largest gap is at a
 * value of `part` or just below one: both are evaluated at each distinct value of `part`.
 *
 * @throws RangeError when `part` or the rest is empty.
 */
export function ksPartAgainstRest(all: ArrayLike<number>, part: ArrayLike<number>): KsResult {
  const n2 = part.length;
  const n1 = all.length - n2;
  if (n1 <= 0 || n2 === 0) throw new RangeError('ksPartAgainstRest: both samples need at least one value');
  let d = 0;
  let j = 0;
  let allBelow = 0;
  let allAtMost = 0;
  while (j < n2) {
    const v = part[j]!;
    const below = j;
    while (j < n2 && part[j]! === v) j++;
    allBelow = countAtMostFrom(all, v, allAtMost, true);
    allAtMost = countAtMostFrom(all, v, allBelow, false);
    const restBelow = allBelow - below;
    const restAtMost = allAtMost - j;
    d = Math.max(d, Math.abs(restBelow / n1 - below / n2), Math.abs(restAtMost / n1 - j / n2));
  }
  const en = (n1 * n2) / (n1 + n2);
  return { statistic: d, pValue: kolmogorovSf(Math.sqrt(en) * d), n1, n2 };
}

/** The `k`-th smallest (0-based) value of `all` minus `part`. */
function orderStatisticOfRest(all: ArrayLike<number>, part: ArrayLike<number>, k: number): number {
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = all[mid]!;
    if (countAtMost(all, v) - countAtMost(part, v) >= k + 1) hi = mid;
    else lo = mid + 1;
  }
  return all[lo]!;
}

/**
 * The `q` quantile of `all` minus `part`, interpolated as `quantileSorted` does on the rest
 * itself: NaN when the rest is empty.
 */
export function quantileOfRest(all: ArrayLike<number>, part: ArrayLike<number>, q: number): number {
  const n = all.length - part.length;
  if (n <= 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = orderStatisticOfRest(all, part, lo);
  if (h === lo) return a;
  const b = orderStatisticOfRest(all, part, Math.min(lo + 1, n - 1));
  return a + (h - lo) * (b - a);
}
