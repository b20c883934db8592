/**
 * Scoring of detections against the Numenta Anomaly Benchmark's labelled windows: window-level
 * precision/recall/F1 and the NAB standard-profile score (Lavin & Ahmad 2015, NAB's `sweeper.py`).
 */

/** A detection reduced to what scoring needs: its window and the time it would have alarmed. */
export interface ScoredDetection {
  readonly start: number;
  readonly end: number;
}

/** Window-level counts of one file. */
export interface WindowCounts {
  /** Detections that hit a labelled window not hit before. */
  tp: number;
  /** Detections outside every window (and after the probationary period for NAB; here: everywhere). */
  fp: number;
  /** Labelled windows no detection overlapped. */
  fn: number;
  /** Detections that overlapped an already detected window (counted neither way). */
  redundant: number;
}

/**
 * Window-level matching: a detection [start, end] is a true positive when it overlaps a labelled
 * window not yet detected, redundant when every window it overlaps is already detected, and a false
 * positive when it overlaps none. Each window is detected at most once.
 */
export function windowCounts(
  detections: readonly ScoredDetection[],
  windows: readonly [number, number][],
): WindowCounts {
  const hit = new Array<boolean>(windows.length).fill(false);
  const c: WindowCounts = { tp: 0, fp: 0, fn: 0, redundant: 0 };
  for (const d of [...detections].sort((a, b) => a.start - b.start)) {
    const overlapping = windows
      .map((w, i) => (d.start <= w[1] && d.end >= w[0] ? i : -1))
      .filter((i) => i >= 0);
    if (overlapping.length === 0) c.fp++;
    else {
      const fresh = overlapping.find((i) => !hit[i]);
      if (fresh === undefined) c.redundant++;
      else {
        hit[fresh] = true;
        c.tp++;
      }
    }
  }
  c.fn = hit.filter((h) => !h).length;
  return c;
}

/** Precision, recall and F1 of counts (0 where undefined). */
export function prf(c: { tp: number; fp: number; fn: number }): {
  precision: number;
  recall: number;
  f1: number;
} {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : c.fn === 0 ? 1 : 0;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** NAB cost matrix of a profile. */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fnWeight: number;
  readonly fpWeight: number;
}

function scaledSigmoid(position: number): number {
  return position > 3 ? -1 : 2 / (1 + Math.exp(5 * position)) - 1;
}

/**
 * NAB raw score of one file, as NAB's sweeper computes it: detections are the timestamps where the
 * detector alarms (here: each detection's start); rows in the probationary period (the first
 * min(15 %, 750) rows) are ignored; the first alarm in a window earns tpWeight·σ(position)/σ(−1),
 * later ones in the same window nothing; an alarm outside windows costs fpWeight·σ(distance past the
 * previous window relative to its width) (−fpWeight before the first window); a missed window costs
 * fnWeight. Returns the raw score and the number of windows (for normalisation).
 */
export function nabRawScore(
  timestamps: ArrayLike<number>,
  alarms: readonly number[],
  windows: readonly [number, number][],
  cost: CostMatrix,
): number {
  const n = timestamps.length;
  const probation = Math.min(Math.floor(0.15 * n), 750);
  const index = (t: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timestamps[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const win = windows.map(([a, b]) => {
    const s = index(a);
    let e = index(b);
    if (timestamps[e]! > b) e--;
    return { s, e, width: e - s + 1 };
  });
  const maxTp = scaledSigmoid(-1);
  const detected = new Array<boolean>(win.length).fill(false);
  let score = 0;
  for (const t of [...new Set(alarms.map(index))].sort((a, b) => a - b)) {
    if (t < probation) continue;
    const w = win.findIndex((x) => t >= x.s && t <= x.e);
    if (w >= 0) {
      if (detected[w]) continue;
      detected[w] = true;
      const x = win[w]!;
      const position = -(x.e - t + 1) / x.width;
      score += (scaledSigmoid(position) * cost.tpWeight) / maxTp;
    } else {
      let prev = -1;
      for (let i = 0; i < win.length; i++) if (win[i]!.e < t) prev = i;
      if (prev < 0) score -= cost.fpWeight;
      else {
        const x = win[prev]!;
        score += scaledSigmoid(Math.abs(x.e - t) / Math.max(1, x.width - 1)) * cost.fpWeight;
      }
    }
  }
  score -= cost.fnWeight * detected.filter((d) => !d).length;
  return score;
}
