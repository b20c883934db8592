import { logGamma, regularizedBeta } from './special-functions.ts';

/**
 * Student-t distribution with `df` degrees of freedom (df > 0).
 * CDF through the regularised incomplete beta: for t ≥ 0, F(t) = 1 − ½·I_{df/(df+t²)}(df/2, ½).
 * Cost O(1) with at most a few hundred continued-fraction terms.
 */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Inverse CDF (quantile) of Student's t: the t with F(t) = p, for p in (0, 1).
 * Algorithm: G. W. Hill (1970), "Algorithm 396: Student's t-quantiles", CACM 13(10), as the
 * starting point, then Newton steps on {@link studentTCdf} until the change is below 1e-12·|t|.
 * Cost O(1).
 *
 * @throws RangeError when p is outside (0, 1) or df ≤ 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be positive, got ${df}`);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  // Hill works with the two-sided tail probability.
  const twoSided = 2 * (upper ? 1 - p : p);
  let t = hill396(twoSided, df);
  // Newton refinement on the one-sided upper tail.
  const target = upper ? p : 1 - p;
  const c = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI));
  for (let i = 0; i < 50; i++) {
    const f = studentTCdf(t, df) - target;
    const pdf = c * (1 + (t * t) / df) ** (-(df + 1) / 2);
    if (!(pdf > 0)) break;
    const step = f / pdf;
    t -= step;
    if (Math.abs(step) <= 1e-12 * Math.max(1, Math.abs(t))) break;
  }
  return upper ? t : -t;
}

/** Hill (1970) ACM 396: |t| whose two-sided tail probability is `p`. */
function hill396(p: number, n: number): number {
  if (n === 1) return Math.tan((Math.PI / 2) * (1 - p));
  if (n === 2) return Math.sqrt(2 / (p * (2 - p)) - 2);
  const a = 1 / (n - 0.5);
  const b = 48 / (a * a);
  let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
  let x = d * p;
  let y = x ** (2 / n);
  if (y > 0.05 + a) {
    x = normalQuantileUpper(p * 0.5);
    y = x * x;
    if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = a * y * y;
    y = y > 0.002 ? Math.exp(y) - 1 : 0.5 * y * y + y;
  } else {
    y =
      (((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) * (n + 1)) /
        (n + 2) +
      1 / y;
  }
  return Math.sqrt(n * y);
}

/**
 * Upper-tail standard normal quantile: z with 1 − Φ(z) = q (Acklam's rational approximation,
 * relative error below 1.2e-9).
 */
function normalQuantileUpper(q: number): number {
  return -normalQuantile(q);
}

/**
 * Standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error
 * below 1.2e-9).
 */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
