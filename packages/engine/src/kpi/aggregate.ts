import type { AggregationType } from '../schema/enums.ts';

/**
 * Exact aggregation of a small set of values (the hourly buckets of a window), with DuckDB's
 * semantics so rollup-based and batch results agree: percentiles and the median interpolate
 * linearly between closest ranks (`quantile_cont`, Hyndman–Fan type 7, as R's default and numpy's
 * `linear`). NaN values are left out; an empty input gives `null` (0 for COUNT). O(n log n).
 */
export function aggregateValues(values: ArrayLike<number>, aggregation: AggregationType): number | null {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) xs.push(v);
  }
  if (aggregation === 'COUNT') return xs.length;
  if (xs.length === 0) return null;
  switch (aggregation) {
    case 'AVERAGE':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'SUM':
      return xs.reduce((a, b) => a + b, 0);
    case 'MIN':
      return Math.min(...xs);
    case 'MAX':
      return Math.max(...xs);
    case 'MEDIAN':
      return quantileCont(xs, 0.5);
    case 'PERCENTILE_95':
      return quantileCont(xs, 0.95);
    case 'PERCENTILE_99':
      return quantileCont(xs, 0.99);
  }
}

/** Linear-interpolation quantile (type 7) of a non-empty array; sorts a copy. */
function quantileCont(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** The quantile level of a percentile aggregation (0.5 for MEDIAN), or `null` for the others. */
export function quantileLevel(aggregation: AggregationType): number | null {
  return aggregation === 'MEDIAN'
    ? 0.5
    : aggregation === 'PERCENTILE_95'
      ? 0.95
      : aggregation === 'PERCENTILE_99'
        ? 0.99
        : null;
}
