import { normalQuantile } from '../anomaly/kernels/student-t.ts';
import type { RawForecast } from './types.ts';

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
