/** Statistics of inter-arrival intervals shared by the periodicity test and its null models. Pure. */

/** CV of intervals folded onto their median, and the occurrences the folding implies were skipped. */
export function foldedCv(
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

export function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median of `values` by quickselect (Hoare); reorders `values`. O(n) expected. */
export function median(values: Float64Array): number {
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
export function coefficientOfVariation(values: Float64Array): number {
  const m = mean(values);
  if (m === 0) return 0;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1)) / m;
}
