import { quantileSorted, sortedCopy } from './order-stats.ts';

/** Options of {@link potThreshold}. */
export interface PotOptions {
  /** Risk q: the probability per point of exceeding the returned threshold under the fitted tail. */
  readonly risk: number;
  /** Share of the largest values that form the tail (the initial threshold t is their lower edge); default 0.02. */
  readonly tailFraction?: number;
}

/** Result of {@link potThreshold}. */
export interface PotResult {
  /** z_q: the value exceeded with probability `risk` per point. */
  readonly threshold: number;
  /** Initial threshold t (the (1 − tailFraction) quantile). */
  readonly initial: number;
  /** Fitted generalised Pareto shape ξ and scale σ of the excesses over t. */
  readonly shape: number;
  readonly scale: number;
}

/**
 * Peaks over threshold (Pickands 1975; as initialised in SPOT, Siffer et al. 2017, KDD "Anomaly
 * Detection in Streams with Extreme Value Theory"): excesses over the (1 − f) quantile t follow a
 * generalised Pareto law; with its shape ξ and scale σ fitted by probability-weighted moments
 * (Hosking & Wallis 1987, Technometrics 29(3): a₀ = mean excess, a₁ = mean of (1 − p_j)·x_(j) with
 * plotting positions p_j = (j − 0.35)/N, σ = 2a₀a₁/(a₀ − 2a₁), ξ = 2 − a₀/(a₀ − 2a₁); unlike plain
 * moments, which SPOT uses, PWM stays sound for the heavy tails (ξ up to 1) real residuals have), the value exceeded with
 * probability q is z_q = t + (σ/ξ)·((q·n/N_t)^(−ξ) − 1) (t − σ·ln(q·n/N_t) as ξ → 0). It adapts the
 * alarm level to how heavy the tail of the scores really is, which a Gaussian z cut-off ignores.
 * NaN ignored. Cost O(n log n).
 */
export function potThreshold(values: ArrayLike<number>, options: PotOptions): PotResult {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const f = options.tailFraction ?? 0.02;
  const t = quantileSorted(sorted, 1 - f);
  let m = 0;
  let count = 0;
  for (let i = n - 1; i >= 0 && sorted[i]! > t; i--) {
    m += sorted[i]! - t;
    count++;
  }
  if (count < 2) return { threshold: sorted[n - 1] ?? t, initial: t, shape: 0, scale: 0 };
  m /= count;
  let a1 = 0;
  for (let j = 1; j <= count; j++) {
    const x = sorted[n - count + j - 1]! - t;
    a1 += (1 - (j - 0.35) / count) * x;
  }
  a1 /= count;
  const denom = m - 2 * a1;
  if (!(denom > 0)) return { threshold: sorted[n - 1]!, initial: t, shape: 0, scale: 0 };
  const scale = (2 * m * a1) / denom;
  const shape = 2 - m / denom;
  const r = (options.risk * n) / count;
  const threshold =
    Math.abs(shape) < 1e-9 ? t - scale * Math.log(r) : t + (scale / shape) * (r ** -shape - 1);
  return { threshold, initial: t, shape, scale };
}
