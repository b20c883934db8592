import { madScale, median } from './order-stats.ts';

/** Options of {@link cusum}. */
export interface CusumOptions {
  /** Allowance k in σ units: shifts smaller than about 2k are ignored; default 0.5. */
  readonly drift?: number;
  /** Decision interval h in σ units; default 5 (Montgomery's textbook choice with k = 0.5). */
  readonly threshold?: number;
  /** Points whose median sets the reference level at the start and after each alarm; default 20. */
  readonly warmup?: number;
  /**
   * Confirmation in σ units: an alarm is kept only when the median of the `warmup` points after it
   * sits at least this far from the reference in the alarm's direction, so a burst that ends at once
   * is left to the point detectors and only a lasting shift counts; default 0 (every alarm kept).
   */
  readonly minShift?: number;
  /** Noise σ; default a robust estimate: 1.4826 · MAD of first differences / √2 (blind to level shifts). */
  readonly sigma?: number;
}

/** One level shift found by {@link cusum}. */
interface CusumAlarm {
  /** Index where the cumulative sum last left zero: the estimated change point. */
  readonly start: number;
  /** Index where the sum crossed the threshold. */
  readonly alarm: number;
  /** +1 for an upward shift, −1 for a downward one. */
  readonly direction: 1 | -1;
  /** The cumulative sum at the alarm, in σ units. */
  readonly statistic: number;
  /** Reference level before the shift. */
  readonly reference: number;
  /** Mean of the points from `start` to `alarm`: the level after the shift. */
  readonly shiftedLevel: number;
}

/** Result of {@link cusum}. */
export interface CusumResult {
  readonly alarms: CusumAlarm[];
  /** σ that was used. */
  readonly sigma: number;
}

/**
 * Two-sided tabular CUSUM for level shifts (Page 1954, Biometrika 41; Montgomery, "Introduction to
 * Statistical Quality Control", §9.1): S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k) with
 * z = (x − μ₀)/σ; an alarm when either exceeds h. After an alarm both sums restart and μ₀ is
 * re-estimated from the median of the next `warmup` points, so a lasting shift alarms once.
 * NaN values are skipped. Cost O(n) plus two medians per alarm.
 */
export function cusum(values: ArrayLike<number>, options: CusumOptions = {}): CusumResult {
  const n = values.length;
  const k = options.drift ?? 0.5;
  const h = options.threshold ?? 5;
  const warmup = Math.max(3, Math.floor(options.warmup ?? 20));
  const minShift = options.minShift ?? 0;
  let sigma = options.sigma ?? Number.NaN;
  if (!(sigma > 0)) {
    const diffs: number[] = [];
    for (let i = 1; i < n; i++) {
      const d = values[i]! - values[i - 1]!;
      if (Number.isFinite(d)) diffs.push(Math.abs(d));
    }
    sigma = (madScale * median(diffs)) / Math.SQRT2;
    if (!(sigma > 0)) {
      // Mostly-constant series (counts of rare events): fall back to the mean absolute difference.
      const mean = diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length);
      sigma = mean > 0 ? mean : 1;
    }
  }
  const alarms: CusumAlarm[] = [];
  let i = 0;
  while (i < n) {
    const window: number[] = [];
    let j = i;
    for (; j < n && window.length < warmup; j++) if (Number.isFinite(values[j]!)) window.push(values[j]!);
    if (window.length < warmup) break;
    const mu = median(window);
    let up = 0;
    let down = 0;
    let upStart = j;
    let downStart = j;
    let alarmed = false;
    for (; j < n; j++) {
      const x = values[j]!;
      if (!Number.isFinite(x)) continue;
      const z = (x - mu) / sigma;
      if (up === 0) upStart = j;
      if (down === 0) downStart = j;
      up = Math.max(0, up + z - k);
      down = Math.max(0, down - z - k);
      if (up > h || down > h) {
        const direction = up > h ? 1 : -1;
        const start = direction === 1 ? upStart : downStart;
        let s = 0;
        let c = 0;
        for (let q = start; q <= j; q++) {
          if (Number.isFinite(values[q]!)) {
            s += values[q]!;
            c++;
          }
        }
        const after: number[] = [];
        for (let q = j + 1; q < n && after.length < warmup; q++)
          if (Number.isFinite(values[q]!)) after.push(values[q]!);
        const confirmed =
          !(minShift > 0) || (after.length > 0 && direction * (median(after) - mu) >= minShift * sigma);
        if (confirmed)
          alarms.push({
            start,
            alarm: j,
            direction,
            statistic: direction === 1 ? up : down,
            reference: mu,
            shiftedLevel: s / c,
          });
        alarmed = true;
        i = j + 1;
        break;
      }
    }
    if (!alarmed) break;
  }
  return { alarms, sigma };
}
