import { poissonTail } from '../kernels/poisson-tail.ts';

/** A count anomaly's window total tested against its expected Poisson rate. */
export interface CountCalibration {
  /** Incidents observed in the window. */
  readonly observed: number;
  /** Expected incidents in the window: the sum of the seasonal baseline rates of its buckets. */
  readonly expected: number;
  /** One-sided Poisson p-value of the window total (upper tail for surges, lower for dips). */
  readonly pValue: number;
  /** Central band of the window total: expected ± 3√expected, floored at 0. */
  readonly lower: number;
  readonly upper: number;
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/**
 * Tests the incidents of buckets `[from, to]` (indices, inclusive) of a count series against a
 * seasonal Poisson baseline learnt from the buckets outside the window: a multiplicative
 * hour-of-day × day-of-week model, rate(h, d) = mean(h) · mean(d) / mean (hourly buckets), or
 * mean(d) (daily buckets), each mean over the outside buckets of that hour or weekday, falling back
 * to the overall mean where a slot has no data. A weekend lull or a busy Monday morning is thereby
 * expected, not anomalous. Cost O(n).
 */
export function calibrateCount(
  timestamps: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number,
  bucket: 'hour' | 'day',
): CountCalibration {
  const hourSum = new Float64Array(24);
  const hourN = new Float64Array(24);
  const daySum = new Float64Array(7);
  const dayN = new Float64Array(7);
  let sum = 0;
  let n = 0;
  let inside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (Number.isNaN(v)) continue;
    if (i >= from && i <= to) {
      inside += v;
      continue;
    }
    const t = timestamps[i] ?? 0;
    const h = Math.floor(t / hourMs) % 24;
    const d = (Math.floor(t / dayMs) + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
    hourSum[h]! += v;
    hourN[h]! += 1;
    daySum[d]! += v;
    dayN[d]! += 1;
    sum += v;
    n++;
  }
  const mean = n ? sum / n : 0;
  let expected = 0;
  for (let i = from; i <= to; i++) {
    const t = timestamps[i] ?? 0;
    const h = Math.floor(t / hourMs) % 24;
    const d = (Math.floor(t / dayMs) + 4) % 7;
    const byDay = dayN[d] ? daySum[d]! / dayN[d]! : mean;
    const byHour = hourN[h] ? hourSum[h]! / hourN[h]! : mean;
    expected += bucket === 'day' ? byDay : mean > 0 ? (byHour * byDay) / mean : 0;
  }
  expected = Math.max(expected, 1e-3 * (to - from + 1));
  const pValue = poissonTail(inside, expected, inside >= expected ? 'upper' : 'lower');
  const spread = 3 * Math.sqrt(expected);
  return {
    observed: inside,
    expected,
    pValue,
    lower: Math.max(0, expected - spread),
    upper: expected + spread,
  };
}
