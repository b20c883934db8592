import { logFactorial } from './special-functions.ts';
/**
 * Binomial tail probabilities, used to calibrate rate anomalies (escalation rate): P(X ≥ k) for a
 * rise and P(X ≤ k) for a fall, X ~ Binomial(n, p). Terms are summed by the recurrence
 * P(j+1) = P(j)·(n−j)/(j+1)·p/(1−p) from P(k) in log space (log-gamma by Stirling's series for the
 * binomial coefficient), so far tails keep their relative accuracy. Cost O(n).
 */
export function binomialTail(k: number, n: number, p: number, direction: 'upper' | 'lower'): number {
  const x = Math.max(0, Math.min(n, Math.round(k)));
  if (p <= 0) return direction === 'upper' ? (x === 0 ? 1 : 0) : 1;
  if (p >= 1) return direction === 'upper' ? 1 : x === n ? 1 : 0;
  const logPk = logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p);
  const pk = Math.exp(logPk);
  const odds = p / (1 - p);
  let sum = pk;
  let term = pk;
  if (direction === 'upper') {
    for (let j = x; j < n; j++) {
      term *= ((n - j) / (j + 1)) * odds;
      sum += term;
      if (term < sum * 1e-17 && j > n * p) break;
    }
  } else {
    for (let j = x; j > 0; j--) {
      term *= j / (n - j + 1) / odds;
      sum += term;
      if (term < sum * 1e-17 && j < n * p) break;
    }
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}
