/**
 * Order statistics shared by the detectors: median, quantiles and the median absolute deviation.
 * Reference: Hyndman & Fan (1996) type 7 quantiles, the default of R and NumPy. Cost O(n log n)
 * (a sorted copy); the input is never modified.
 */

/** The Gaussian consistency constant of the MAD: 1 / Φ⁻¹(3/4). */
export const madScale = 1.482602218505602;

/** A sorted copy of `values` (NaN excluded). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  let n = 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** Quantile `q` in [0, 1] of an ascending array (type 7, linear interpolation); NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/** Median of `values` (NaN ignored); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/**
 * Median absolute deviation from `center`, scaled by {@link madScale} so that it estimates σ for
 * Gaussian data (as R's `mad()` and `scipy.stats.median_abs_deviation(scale='normal')`).
 */
export function scaledMad(values: ArrayLike<number>, center: number): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - center);
  return madScale * median(dev);
}

/**
 * Quantiles `qs` (each in [0, 1], type 7 as {@link quantileSorted}) of `values` (NaN excluded)
 * without sorting: successive three-way quickselects on one copy, each searching only the part
 * the previous one left above its position. O(n) expected for a few quantiles, against
 * O(n log n) for a sort; NaN for each when there is no value.
 */
export function quantilesBySelection(values: ArrayLike<number>, qs: readonly number[]): number[] {
  let n = 0;
  const a = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) a[n++] = v;
  }
  const order = qs.map((q, i) => ({ q, i })).sort((x, y) => x.q - y.q);
  const out = new Array<number>(qs.length).fill(Number.NaN);
  if (n === 0) return out;
  let from = 0;
  for (const { q, i } of order) {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    select(a, from, n - 1, lo);
    from = lo;
    const x = a[lo]!;
    let next = x;
    if (lo + 1 < n) {
      next = Number.POSITIVE_INFINITY;
      for (let j = lo + 1; j < n; j++) if (a[j]! < next) next = a[j]!;
    }
    out[i] = x + (h - lo) * (next - x);
  }
  return out;
}

/**
 * Rearranges `a[left..right]` so that `a[k]` holds the value a sort would put there, smaller or
 * equal values before it and greater or equal after (three-way partitions: ties cost nothing).
 */
function select(a: Float64Array, left: number, right: number, k: number): void {
  let l = left;
  let r = right;
  while (r > l) {
    const mid = (l + r) >>> 1;
    // Median of three as the pivot.
    const x = a[l]!;
    const y = a[mid]!;
    const z = a[r]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let lt = l;
    let gt = r;
    let i = l;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt++] = v;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt--] = v;
      } else i++;
    }
    if (k < lt) r = lt - 1;
    else if (k > gt) l = gt + 1;
    else return;
  }
}
