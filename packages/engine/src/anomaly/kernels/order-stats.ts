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
