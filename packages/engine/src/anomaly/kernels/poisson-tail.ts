/**
 * Poisson tail probabilities, used to calibrate count anomalies: P(X ≥ k) for a surge and
 * P(X ≤ k) for a dip, X ~ Poisson(λ). Terms are summed by the recurrence
 * p(j+1) = p(j)·λ/(j+1) from p(k) = exp(k ln λ − λ − ln k!), which stays accurate far into the tail
 * (no 1 − CDF cancellation). Cost O(k + λ) per call.
 */
export function poissonTail(k: number, lambda: number, direction: 'upper' | 'lower'): number {
  if (!(lambda > 0)) return k > 0 && direction === 'upper' ? 0 : 1;
  const x = Math.max(0, Math.round(k));
  const logPk = x * Math.log(lambda) - lambda - logFactorial(x);
  const pk = Math.exp(logPk);
  let sum = pk;
  if (direction === 'upper') {
    let term = pk;
    for (let j = x; j < x + 10_000; j++) {
      term *= lambda / (j + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
  } else {
    let term = pk;
    for (let j = x; j > 0; j--) {
      term *= j / lambda;
      sum += term;
      if (term < sum * 1e-17 && j < lambda) break;
    }
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 256) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  // Stirling's series; error below 1e-10 for n ≥ 256.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
