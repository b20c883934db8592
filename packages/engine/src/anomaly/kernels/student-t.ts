import betainc from '@stdlib/math-base-special-betainc';
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/*
 * Student-t and normal functions, delegated to @stdlib (Boost's incomplete beta and the Cephes-
 * derived quantiles): against scipy.stats over a grid down to p = 1e-14 they are accurate to 3e-13
 * (upper tail) and 2e-9 (quantile), where the hand-written Hill 396 + Newton quantile this replaced
 * lost up to 6e-5 in the far tail. Figures: `bench/distributions.bench.ts`, bench/RESULTS.md.
 */

/**
 * Student-t distribution with `df` degrees of freedom (df > 0).
 * CDF through the regularised incomplete beta: for t ≥ 0, F(t) = 1 − ½·I_{df/(df+t²)}(df/2, ½).
 * Cost O(1) (@stdlib `betainc`).
 */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * betainc(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Upper tail P(T > t) of Student's t with `df` degrees of freedom (df > 0), computed as the tail
 * itself (½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0), never as 1 − {@link studentTCdf}: that difference
 * loses every digit below 1e-16 and most of them near the 1e-12 p-values an ESD test reports.
 * Cost O(1) (@stdlib `betainc`).
 */
export function studentTSf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1;
  const tail = 0.5 * betainc(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/**
 * Inverse CDF (quantile) of Student's t: the t with F(t) = p, for p in (0, 1)
 * (@stdlib `stats-base-dists-t-quantile`: the inverse incomplete beta). Cost O(1).
 *
 * @throws RangeError when p is outside (0, 1) or df ≤ 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  return tQuantile(p, df);
}

/**
 * Standard normal quantile Φ⁻¹(p) for p in (0, 1) (@stdlib `stats-base-dists-normal-quantile`,
 * through the inverse error function; within 1 ulp of scipy's `norm.ppf`). NaN outside [0, 1],
 * ∓∞ at 0 and 1.
 */
export function normalQuantile(p: number): number {
  return normalQuantileStdlib(p, 0, 1);
}
