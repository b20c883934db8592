import { median, scaledMad } from './order-stats.ts';

/** Result of {@link robustZScores}. */
export interface RobustZResult {
  /** Median of the series. */
  readonly center: number;
  /** Robust scale: 1.4826 · MAD, or a fallback when the MAD is zero (see below). */
  readonly scale: number;
  /** (x − median) / scale for every point; 0 where x is NaN. */
  readonly scores: Float64Array;
}

/**
 * Robust z-score (Iglewicz & Hoaglin 1993, "How to detect and handle outliers"): the distance of
 * each point from the median in units of the scaled median absolute deviation. When more than half
 * of the points are equal the MAD is zero; then the mean absolute deviation · √(π/2) stands in
 * (the same fallback as Iglewicz & Hoaglin's modified z with MeanAD), and if that is zero too the
 * scale is the smallest positive double, so any departure scores as huge. Cost O(n log n).
 */
export function robustZScores(values: ArrayLike<number>): RobustZResult {
  const center = median(values);
  let scale = scaledMad(values, center);
  if (!(scale > 0)) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      sum += Math.abs(v - center);
      n++;
    }
    scale = n > 0 ? (sum / n) * Math.sqrt(Math.PI / 2) : 0;
    if (!(scale > 0)) scale = Number.MIN_VALUE;
  }
  const scores = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    scores[i] = Number.isNaN(v) ? 0 : (v - center) / scale;
  }
  return { center, scale, scores };
}
