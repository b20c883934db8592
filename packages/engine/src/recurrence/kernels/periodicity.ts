import { mulberry32 } from '../../random/mulberry32.ts';
import { coefficientOfVariation, foldedCv, mean, median } from './interval-stats.ts';

/** Settings of {@link periodicity}. */
export interface PeriodicityOptions {
  /** Fewest inter-arrival intervals to judge (occurrences − 1). Default 3. */
  readonly minIntervals?: number;
  /**
   * Largest coefficient of variation of the folded intervals that counts as regular. Default 0.25:
   * a daily job that runs within ± 3 h scores about 0.125, the planted schedules of the synthetic
   * generator 0.02 at most; background titles of the demo data whose folded intervals passed the
   * Poisson test while missing a third to a half of their schedule scored 0.30 to 0.35 (12 of 336
   * hourly window ends tried, seed 4, 3000 incidents).
   */
  readonly maxCv?: number;
  /** Significance level of the test against random (Poisson) arrivals. Default 0.05. */
  readonly alpha?: number;
  /** Most Monte Carlo draws of the null distribution. Default 2000 (fewer for long series). */
  readonly simulations?: number;
  /** Seed of the Monte Carlo draws (same seed, same p-value). Default 7. */
  readonly seed?: number;
  /**
   * Largest share of the schedule's expected occurrences that may be missing. Default 0.5: a
   * pattern that misses more than half of its expected occurrences is not periodic, however
   * regular its folded intervals look (folding random gaps onto a short period makes them look
   * regular).
   */
  readonly maxMissingShare?: number;
  /**
   * Shortest period, hours, that counts as a schedule. Default 1: incidents coming back within
   * minutes of each other are a burst (opened in bulk, a flapping alert), not a schedule.
   */
  readonly minPeriodHours?: number;
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
  /** Occurrences the schedule implies: occurrences + skipped; 0 with fewer than two intervals. */
  readonly expected: number;
  /** skipped / expected; 0 with fewer than two intervals. */
  readonly missingShare: number;
  /**
   * Why the series is or is not periodic, the first reason that applies: `too few intervals`,
   * `too many missing` (missing share above maxMissingShare), `irregular` (folded CV above maxCv),
   * `period too short` (under minPeriodHours), `not significant` (p-value, or adjusted p-value,
   * above alpha), else `periodic`.
   */
  readonly verdict: PeriodicityVerdict;
  /** Monte Carlo p-value of a folded CV this small under a Poisson process; null if not tested. */
  readonly pValue: number | null;
  /**
   * The p-value adjusted for the other series tested in the same run (Benjamini–Hochberg; see
   * {@link falseDiscoveryControl}); equal to pValue for a series judged alone; null if not tested.
   */
  readonly adjustedPValue: number | null;
  /** max(0, 1 − folded CV): 1 for clockwork arrivals, low for random ones; 0 if not judged. */
  readonly regularity: number;
}

/** The reasons {@link Periodicity.verdict} can give. */
type PeriodicityVerdict =
  | 'periodic'
  | 'too few intervals'
  | 'irregular'
  | 'period too short'
  | 'too many missing'
  | 'not significant';

/** Defaults of {@link PeriodicityOptions}. */
export const defaultPeriodicity = {
  minIntervals: 3,
  maxCv: 0.25,
  alpha: 0.05,
  simulations: 2000,
  seed: 7,
  maxMissingShare: 0.5,
  minPeriodHours: 1,
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
 * The test runs only when the CV is at most `maxCv` and at most `maxMissingShare` (default half)
 * of the expected occurrences (occurrences + skipped) are missing: a pattern that misses more than
 * half of its schedule is not periodic.
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
  const maxMissingShare = options.maxMissingShare ?? defaultPeriodicity.maxMissingShare;
  const none = {
    periodic: false,
    rawCv: null,
    cv: null,
    skipped: 0,
    expected: 0,
    missingShare: 0,
    verdict: 'too few intervals',
    pValue: null,
    adjustedPValue: null,
    regularity: 0,
  } as const;
  if (n < 1) return { ...none, intervals: 0, meanHours: null, periodHours: null };
  const intervals = new Float64Array(n);
  for (let i = 0; i < n; i++) intervals[i] = (sorted[i + 1]! - sorted[i]!) / hourMs;
  const meanHours = mean(intervals);
  const periodHours = median(Float64Array.from(intervals));
  if (n < 2 || meanHours <= 0) return { ...none, intervals: n, meanHours, periodHours };
  const rawCv = coefficientOfVariation(intervals);
  const { cv, skipped } = foldedCv(intervals);
  const judged = n >= minIntervals;
  const expected = n + 1 + skipped;
  const missingShare = skipped / expected;
  const minPeriodHours = options.minPeriodHours ?? defaultPeriodicity.minPeriodHours;
  const tested = judged && periodHours >= minPeriodHours && cv <= maxCv && missingShare <= maxMissingShare;
  const simulations = Math.max(
    200,
    Math.min(options.simulations ?? defaultPeriodicity.simulations, Math.ceil(drawBudget / n)),
  );
  const pValue = tested ? poissonCvPValue(cv, n, simulations, options.seed) : null;
  const verdict: PeriodicityVerdict = !judged
    ? 'too few intervals'
    : missingShare > maxMissingShare
      ? 'too many missing'
      : cv > maxCv
        ? 'irregular'
        : periodHours < minPeriodHours
          ? 'period too short'
          : pValue !== null && pValue <= alpha
            ? 'periodic'
            : 'not significant';
  return {
    periodic: verdict === 'periodic',
    intervals: n,
    meanHours,
    periodHours,
    rawCv,
    cv,
    skipped,
    expected,
    missingShare,
    verdict,
    pValue,
    adjustedPValue: pValue,
    regularity: judged ? Math.max(0, 1 - cv) : 0,
  };
}

/**
 * Controls the false discovery rate over the series of one run (Benjamini & Hochberg 1995,
 * "Controlling the false discovery rate", JRSS B 57): a run tests hundreds of groups, and at
 * alpha = 0.05 about one random group in twenty passes alone. The tested p-values are adjusted
 * (q_(k) = min over j ≥ k of p_(j) × m / j, for m tested series in ascending order) and a series
 * stays periodic only when its adjusted p-value is at most `alpha`; a series that loses its verdict
 * gets `not significant`. Pure; O(m log m).
 */
export function falseDiscoveryControl(results: readonly Periodicity[], alpha: number): Periodicity[] {
  const tested = results
    .map((r, i) => ({ p: r.pValue, i }))
    .filter((t): t is { p: number; i: number } => t.p !== null)
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = tested.length;
  const adjusted = new Float64Array(results.length).fill(Number.NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (tested[k]!.p * m) / (k + 1));
    adjusted[tested[k]!.i] = running;
  }
  return results.map((r, i) => {
    if (r.pValue === null) return r;
    const q = adjusted[i]!;
    const periodic = r.periodic && q <= alpha;
    return {
      ...r,
      adjustedPValue: q,
      periodic,
      verdict: r.periodic && !periodic ? 'not significant' : r.verdict,
    };
  });
}

/**
 * P(folded CV ≤ observed) for `n` intervals of a Poisson process, by sequential Monte Carlo
 * (Besag & Clifford 1991, "Sequential Monte Carlo p-values", Biometrika 78): draws stop once
 * {@link stopAfterHits} simulated CVs are at most the observed one, giving p = hits / draws (the
 * series is then plainly not periodic, and most groups stop after a few dozen draws); otherwise
 * all `simulations` run and p = (1 + hits) / (1 + simulations), never 0.
 */
function poissonCvPValue(
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
