/** Result of {@link ksTwoSample}. */
export interface KsResult {
  /** D = sup |F₁(x) − F₂(x)|, in [0, 1]. */
  readonly statistic: number;
  /** Asymptotic two-sided p-value: Q_KS(√(n₁n₂/(n₁+n₂)) · D). */
  readonly pValue: number;
  readonly n1: number;
  readonly n2: number;
}

/**
 * Two-sample Kolmogorov–Smirnov test (Smirnov 1939): the largest gap between the two empirical
 * distribution functions, ties handled by stepping over equal values together (as
 * `scipy.stats.ks_2samp`). The p-value is the limiting Kolmogorov distribution (scipy's
 * `kstwobign.sf`), which is what large baseline-vs-recent comparisons need; for tiny samples it is
 * conservative only approximately. NaN values are ignored. Cost O((n₁ + n₂) log(n₁ + n₂)).
 *
 * @throws RangeError when either sample has no finite value.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ksTwoSampleSorted(finiteSorted(a), finiteSorted(b));
}

/**
 * {@link ksTwoSample} on samples already sorted ascending and free of NaN and infinities (for
 * callers that keep a sorted baseline): O(n₁ + n₂), nothing copied.
 *
 * @throws RangeError when either sample is empty.
 */
export function ksTwoSampleSorted(x: ArrayLike<number>, y: ArrayLike<number>): KsResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample: both samples need at least one value');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n1 && x[i]! === v) i++;
    while (j < n2 && y[j]! === v) j++;
    const gap = Math.abs(i / n1 - j / n2);
    if (gap > d) d = gap;
  }
  const en = (n1 * n2) / (n1 + n2);
  return { statistic: d, pValue: kolmogorovSf(Math.sqrt(en) * d), n1, n2 };
}

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = 2 Σ (−1)^{j−1} e^{−2j²λ²}; for small λ
 * the theta-function form 1 − (√(2π)/λ) Σ e^{−(2j−1)²π²/(8λ²)} converges faster (Marsaglia, Tsang &
 * Wang 2003 discuss both). Absolute error below 1e-12.
 */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const k = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let j = 1; j <= 20; j++) s += Math.exp(-(2 * j - 1) * (2 * j - 1) * k);
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    s += j % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

function finiteSorted(v: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) out.push(v[i]!);
  return Float64Array.from(out).sort();
}
