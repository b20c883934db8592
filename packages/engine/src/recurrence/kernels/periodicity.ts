/** Settings of {@link periodicity}. */
export interface PeriodicityOptions {
  /** Fewest inter-arrival intervals to judge (occurrences − 1). Default 3. */
  readonly minIntervals?: number;
  /** Largest coefficient of variation of the intervals that counts as regular. Default 0.35. */
  readonly maxCv?: number;
  /** Significance level of the test against random (Poisson) arrivals. Default 0.05. */
  readonly alpha?: number;
  /** Monte Carlo draws of the null distribution. Default 2000. */
  readonly simulations?: number;
  /** Seed of the Monte Carlo draws (same seed, same p-value). Default 7. */
  readonly seed?: number;
}

/** The verdict of {@link periodicity} on one series of arrival times. */
export interface Periodicity {
  /** Intervals regular enough (CV ≤ maxCv) and unlikely under random arrivals (p ≤ alpha). */
  readonly periodic: boolean;
  /** Inter-arrival intervals judged. */
  readonly intervals: number;
  /** Mean interval, hours; null with fewer than one interval. */
  readonly meanHours: number | null;
  /** Median interval, hours: the period estimate; null with fewer than one interval. */
  readonly periodHours: number | null;
  /** Coefficient of variation (sample SD / mean) of the intervals; null with fewer than two. */
  readonly cv: number | null;
  /** Monte Carlo p-value of a CV this small under a homogeneous Poisson process; null if not tested. */
  readonly pValue: number | null;
  /** max(0, 1 − CV): 1 for clockwork arrivals, about 0 for random ones; 0 if not tested. */
  readonly regularity: number;
}

/** Defaults of {@link PeriodicityOptions}. */
export const defaultPeriodicity = {
  minIntervals: 3,
  maxCv: 0.35,
  alpha: 0.05,
  simulations: 2000,
  seed: 7,
} as const;

const hourMs = 3_600_000;

/**
 * Tests whether arrivals recur at a regular period, from the coefficient of variation (CV) of their
 * inter-arrival intervals. Random arrivals (a homogeneous Poisson process) have exponential
 * intervals, CV ≈ 1; a job failing every night has CV near 0. The p-value is the Monte Carlo
 * probability (seeded, `simulations` draws; Davison & Hinkley 1997, ch. 4) that a Poisson process
 * with the same number of intervals shows a CV at most the observed one — CV is scale-free, so
 * drawing unit exponentials suffices. `periodHours` is the median interval.
 *
 * `timesMs` are arrival times in epoch milliseconds, in any order. Pure; O(n log n + simulations × n).
 */
export function periodicity(timesMs: ArrayLike<number>, options: PeriodicityOptions = {}): Periodicity {
  const minIntervals = options.minIntervals ?? defaultPeriodicity.minIntervals;
  const maxCv = options.maxCv ?? defaultPeriodicity.maxCv;
  const alpha = options.alpha ?? defaultPeriodicity.alpha;
  const sorted = Float64Array.from(timesMs).sort();
  const n = sorted.length - 1;
  if (n < 1) {
    return {
      periodic: false,
      intervals: 0,
      meanHours: null,
      periodHours: null,
      cv: null,
      pValue: null,
      regularity: 0,
    };
  }
  const intervals = new Float64Array(n);
  for (let i = 0; i < n; i++) intervals[i] = (sorted[i + 1]! - sorted[i]!) / hourMs;
  const meanHours = mean(intervals);
  const periodHours = median(intervals);
  const cv = n >= 2 ? coefficientOfVariation(intervals) : null;
  if (cv === null || n < minIntervals || meanHours <= 0) {
    return { periodic: false, intervals: n, meanHours, periodHours, cv, pValue: null, regularity: 0 };
  }
  const pValue = poissonCvPValue(cv, n, options.simulations ?? defaultPeriodicity.simulations, options.seed);
  return {
    periodic: cv <= maxCv && pValue <= alpha,
    intervals: n,
    meanHours,
    periodHours,
    cv,
    pValue,
    regularity: Math.max(0, 1 - cv),
  };
}

/**
 * P(CV ≤ observed) for `n` intervals of a Poisson process, by simulation, with the add-one rule so
 * the estimate is never 0: (1 + hits) / (1 + simulations).
 */
export function poissonCvPValue(
  cv: number,
  n: number,
  simulations: number,
  seed: number = defaultPeriodicity.seed,
): number {
  const random = mulberry32(seed + n);
  const draws = new Float64Array(n);
  let hits = 0;
  for (let s = 0; s < simulations; s++) {
    for (let i = 0; i < n; i++) draws[i] = -Math.log(1 - random());
    if (coefficientOfVariation(draws) <= cv) hits++;
  }
  return (1 + hits) / (1 + simulations);
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sample standard deviation (n − 1) over the mean; 0 when the mean is 0. */
function coefficientOfVariation(values: Float64Array): number {
  const m = mean(values);
  if (m === 0) return 0;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1)) / m;
}

/** mulberry32: a small seeded 32-bit PRNG (Tommy Ettinger), uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
