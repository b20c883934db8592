import { madScale, quantileSorted } from './order-stats.ts';

/** Per-point band and flags of a threshold detector. */
export interface ThresholdBand {
  /** Expected value per point (the band's centre; NaN where there is none). */
  readonly center: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** 1 where the point lies outside its band. */
  readonly flags: Uint8Array;
}

/**
 * Static threshold: a point is flagged when it is below `lower` or above `upper` (either may be
 * absent). The centre reported is the midpoint when both exist, else the one bound. Cost O(n).
 */
export function staticThreshold(values: ArrayLike<number>, lower?: number, upper?: number): ThresholdBand {
  const n = values.length;
  const lo = lower ?? Number.NEGATIVE_INFINITY;
  const hi = upper ?? Number.POSITIVE_INFINITY;
  const mid =
    lower !== undefined && upper !== undefined ? (lower + upper) / 2 : (lower ?? upper ?? Number.NaN);
  const out = band(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    out.center[i] = mid;
    out.lower[i] = lo;
    out.upper[i] = hi;
    out.flags[i] = v < lo || v > hi ? 1 : 0;
  }
  return out;
}

/**
 * Dynamic threshold: rolling median ± k · (1.4826 · MAD) over the previous `window` points (the
 * current point excluded, so a spike cannot widen its own band; Hampel filter, Pearson 2002). The
 * first `window` points get no band. Cost O(n·w) (a sorted window kept by insertion).
 */
export function rollingMadBand(values: ArrayLike<number>, window: number, k: number): ThresholdBand {
  return rolling(values, window, (sorted, m) => {
    const med = quantileSorted(sorted.subarray(0, m), 0.5);
    const dev = new Float64Array(m);
    for (let i = 0; i < m; i++) dev[i] = Math.abs(sorted[i]! - med);
    dev.sort();
    const s = madScale * quantileSorted(dev, 0.5);
    return [med, med - k * s, med + k * s];
  });
}

/**
 * Dynamic threshold: rolling quantile band [q_low, q_high] of the previous `window` points (type-7
 * quantiles), centred on the rolling median. Cost O(n·w).
 */
export function rollingQuantileBand(
  values: ArrayLike<number>,
  window: number,
  qLow: number,
  qHigh: number,
): ThresholdBand {
  return rolling(values, window, (sorted, m) => {
    const s = sorted.subarray(0, m);
    return [quantileSorted(s, 0.5), quantileSorted(s, qLow), quantileSorted(s, qHigh)];
  });
}

function band(n: number): {
  center: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  flags: Uint8Array;
} {
  return {
    center: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
    flags: new Uint8Array(n),
  };
}

function rolling(
  values: ArrayLike<number>,
  window: number,
  stat: (sorted: Float64Array, m: number) => [number, number, number],
): ThresholdBand {
  const n = values.length;
  const w = Math.max(2, Math.floor(window));
  const out = band(n);
  const sorted = new Float64Array(w);
  let m = 0;
  const insert = (v: number): void => {
    let pos = m;
    while (pos > 0 && sorted[pos - 1]! > v) {
      sorted[pos] = sorted[pos - 1]!;
      pos--;
    }
    sorted[pos] = v;
    m++;
  };
  const remove = (v: number): void => {
    let pos = 0;
    while (pos < m && sorted[pos]! !== v) pos++;
    if (pos === m) return;
    sorted.copyWithin(pos, pos + 1, m);
    m--;
  };
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (i >= w && m === w) {
      const [c, lo, hi] = stat(sorted, m);
      out.center[i] = c;
      out.lower[i] = lo;
      out.upper[i] = hi;
      out.flags[i] = v < lo || v > hi ? 1 : 0;
    } else {
      out.center[i] = Number.NaN;
      out.lower[i] = Number.NaN;
      out.upper[i] = Number.NaN;
    }
    if (i >= w) {
      const old = values[i - w]!;
      if (Number.isFinite(old)) remove(old);
    }
    if (Number.isFinite(v)) insert(v);
  }
  return out;
}
