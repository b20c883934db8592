import type { RawForecast } from './types.ts';

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's rational approximation, relative
 * error below 1.2e-9).
 */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** The seasonal naive baseline's period for a set of seasonal periods: the longest, or 1 (naive). */
export function naivePeriod(periods: readonly number[]): number {
  return periods.length === 0 ? 1 : Math.max(...periods);
}

/**
 * Seasonal naive forecast: each step repeats the value one season `m` earlier,
 * ŷ(n+h) = y(n − m + ((h − 1) mod m) + 1). Interval: ŷ ± z·σ·√(k + 1), with σ the root mean square
 * of the in-sample seasonal differences y(t) − y(t − m), k = ⌊(h − 1)/m⌋ the completed seasons and
 * z the normal quantile of (1 + level)/2 (Hyndman and Athanasopoulos, FPP3 §5.5).
 */
export function seasonalNaive(
  values: readonly number[],
  m: number,
  horizon: number,
  level: number,
): RawForecast {
  const n = values.length;
  if (n < m + 1) throw new Error(`seasonal naive needs more than ${m} values`);
  let sum = 0;
  for (let t = m; t < n; t++) sum += (values[t]! - values[t - m]!) ** 2;
  const sigma = Math.sqrt(sum / (n - m));
  const z = normalQuantile((1 + level) / 2);
  const point: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const y = values[n - m + ((h - 1) % m)]!;
    const half = z * sigma * Math.sqrt(Math.floor((h - 1) / m) + 1);
    point.push(y);
    lower.push(y - half);
    upper.push(y + half);
  }
  return { point, lower, upper };
}
