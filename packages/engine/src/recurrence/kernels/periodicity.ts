/** Settings of {@link periodicity}. */
export interface PeriodicityOptions {
  /** Fewest inter-arrival intervals to judge (occurrences − 1). Default 3. */
  readonly minIntervals?: number;
  /** Largest coefficient of variation of the folded intervals that counts as regular. Default 0.35. */
  readonly maxCv?: number;
  /** Significance level of the test against random (Poisson) arrivals. Default 0.05. */
  readonly alpha?: number;
  /** Most Monte Carlo draws of the null distribution. Default 2000 (fewer for long series). */
  readonly simulations?: number;
  /** Seed of the Monte Carlo draws (same seed, same p-value). Default 7. */
  readonly seed?: number;
}

/** The verdict of {@link periodicity} on one series of arrival times. */
export interface Periodicity {
  /** Intervals regular enough (folded CV ≤ maxCv) and unlikely under random arrivals (p ≤ alpha). */
  readonly periodic: boolean;
  /** Inter-arrival intervals judged. */
  readonly intervals: number;
  /** Mean interval, hours; null with fewer than one interval. */
  readonly meanHours: number | null;
  /** Median interval, hours: the period estimate; null with fewer than one interval. */
  readonly periodHours: number | null;
  /** Coefficient of variation (sample SD / mean) of the raw intervals; null with fewer than two. */
  readonly rawCv: number | null;
  /** CV of the intervals folded onto the period (see {@link periodicity}); null with fewer than two. */
  readonly cv: number | null;
  /** Occurrences missing from the schedule: Σ (k − 1) over intervals spanning k periods. */
  readonly skipped: number;
  /** Monte Carlo p-value of a folded CV this small under a Poisson process; null if not tested. */
  readonly pValue: number | null;
  /** max(0, 1 − folded CV): 1 for clockwork arrivals, low for random ones; 0 if not judged. */
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
/** Bound on simulated intervals per test (simulations × intervals), to keep long series cheap. */
const drawBudget = 200_000;

/**
 * Tests whether arrivals recur at a regular period. The period P is the median inter-arrival
 * interval; each interval d is folded onto it, d / max(1, round(d / P)), so that a schedule with
 * skipped occurrences (a nightly job that succeeded some nights) stays regular. The statistic is
 * the coefficient of variation (CV) of the folded intervals: near 0 for a schedule with jitter,
 * about 0.5 or more for random arrivals. Its p-value is the Monte Carlo probability (seeded;
 * sequential, see {@link poissonCvPValue}) that a homogeneous Poisson process with as many
 * intervals gives a folded CV at most the observed one; the statistic is scale-free, so unit
 * exponentials suffice.
 * The test runs only when the CV is at most `maxCv`.
 *
 * `timesMs` are arrival times in epoch milliseconds, in any order. Pure;
 * O(n log n + min(simulations, 200,000 / n) × n log n).
 */
export function periodicity(timesMs: ArrayLike<number>, options: PeriodicityOptions = {}): Periodicity {
  const minIntervals = options.minIntervals ?? defaultPeriodicity.minIntervals;
  const maxCv = options.maxCv ?? defaultPeriodicity.maxCv;
  const alpha = options.alpha ?? defaultPeriodicity.alpha;
  const sorted = Float64Array.from(timesMs).sort();
  const n = sorted.length - 1;
  const none = { periodic: false, rawCv: null, cv: null, skipped: 0, pValue: null, regularity: 0 };
  if (n < 1) return { ...none, intervals: 0, meanHours: null, periodHours: null };
  const intervals = new Float64Array(n);
  for (let i = 0; i < n; i++) intervals[i] = (sorted[i + 1]! - sorted[i]!) / hourMs;
  const meanHours = mean(intervals);
  const periodHours = median(Float64Array.from(intervals));
  if (n < 2 || meanHours <= 0) return { ...none, intervals: n, meanHours, periodHours };
  const rawCv = coefficientOfVariation(intervals);
  const { cv, skipped } = foldedCv(intervals);
  const judged = n >= minIntervals;
  const tested = judged && cv <= maxCv;
  const simulations = Math.max(
    200,
    Math.min(options.simulations ?? defaultPeriodicity.simulations, Math.ceil(drawBudget / n)),
  );
  const pValue = tested ? poissonCvPValue(cv, n, simulations, options.seed) : null;
  return {
    periodic: tested && pValue !== null && pValue <= alpha,
    intervals: n,
    meanHours,
    periodHours,
    rawCv,
    cv,
    skipped,
    pValue,
    regularity: judged ? Math.max(0, 1 - cv) : 0,
  };
}

/**
 * P(folded CV ≤ observed) for `n` intervals of a Poisson process, by sequential Monte Carlo
 * (Besag & Clifford 1991, "Sequential Monte Carlo p-values", Biometrika 78): draws stop once
 * {@link stopAfterHits} simulated CVs are at most the observed one, giving p = hits / draws (the
 * series is then plainly not periodic, and most groups stop after a few dozen draws); otherwise
 * all `simulations` run and p = (1 + hits) / (1 + simulations), never 0.
 */
export function poissonCvPValue(
  cv: number,
  n: number,
  simulations: number,
  seed: number = defaultPeriodicity.seed,
): number {
  const random = mulberry32(seed + n);
  const draws = new Float64Array(n);
  const scratch = new Float64Array(n);
  let hits = 0;
  for (let s = 1; s <= simulations; s++) {
    for (let i = 0; i < n; i++) draws[i] = -Math.log(1 - random());
    if (foldedCv(draws, scratch).cv <= cv) hits++;
    if (hits >= stopAfterHits) return hits / s;
  }
  return (1 + hits) / (1 + simulations);
}

/** Hits after which the sequential Monte Carlo test stops (Besag and Clifford's h). */
const stopAfterHits = 20;

/** CV of intervals folded onto their median, and the occurrences the folding implies were skipped. */
function foldedCv(
  intervals: Float64Array,
  scratch = new Float64Array(intervals.length),
): { cv: number; skipped: number } {
  scratch.set(intervals);
  const period = median(scratch);
  if (period <= 0) return { cv: coefficientOfVariation(intervals), skipped: 0 };
  let skipped = 0;
  for (let i = 0; i < intervals.length; i++) {
    const k = Math.max(1, Math.round(intervals[i]! / period));
    skipped += k - 1;
    scratch[i] = intervals[i]! / k;
  }
  return { cv: coefficientOfVariation(scratch), skipped };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median of `values` by quickselect (Hoare); reorders `values`. O(n) expected. */
function median(values: Float64Array): number {
  const n = values.length;
  const mid = n >> 1;
  const upper = select(values, mid);
  if (n % 2) return upper;
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mid; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** The k-th smallest value; afterwards values[0..k) are all ≤ it. */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
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
