import { poissonTail } from './poisson-tail.ts';

/** A count anomaly's window total tested against its expected Poisson rate. */
export interface CountCalibration {
  /** Incidents observed in the window. */
  readonly observed: number;
  /** Expected incidents in the window (λ per bucket × buckets). */
  readonly expected: number;
  /** One-sided Poisson p-value of the window total (upper tail for surges, lower for dips). */
  readonly pValue: number;
  /** Central band of the window total: λT ± 3√λT, floored at 0. */
  readonly lower: number;
  readonly upper: number;
}

/**
 * Tests the incidents of buckets `[from, to]` (indices, inclusive) against a Poisson rate λ per
 * bucket: λ = max(the detector's expected value at the peak, the series' mean outside the window),
 * so a detector whose baseline is a median of zero on a sparse series cannot make every single
 * incident look impossible. Cost O(n).
 */
export function calibrateCount(
  values: ArrayLike<number>,
  from: number,
  to: number,
  detectorExpected: number,
): CountCalibration {
  let inside = 0;
  let outside = 0;
  let outsideN = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (Number.isNaN(v)) continue;
    if (i >= from && i <= to) inside += v;
    else {
      outside += v;
      outsideN++;
    }
  }
  const buckets = to - from + 1;
  const mean = outsideN ? outside / outsideN : 0;
  const lambda = Math.max(Number.isFinite(detectorExpected) ? detectorExpected : 0, mean, 1e-3);
  const expected = lambda * buckets;
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
