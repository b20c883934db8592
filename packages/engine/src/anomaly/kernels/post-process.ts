/** A flagged point: its index in the series and its anomaly score (larger is worse). */
export interface FlaggedPoint {
  readonly index: number;
  readonly score: number;
}

/** Options of {@link mergeAlarms}. */
export interface AlarmOptions {
  /** Flagged points at most this many points apart join one alarm (0 = only adjacent); default 0. */
  readonly mergeGap?: number;
  /** An alarm needs at least this many flagged points; default 1. */
  readonly minHits?: number;
  /** After an alarm ends, flagged points within this many points are swallowed silently; default 0. */
  readonly suppressionPoints?: number;
}

/** One alarm: a run of flagged points treated as one anomaly. */
export interface AlarmWindow {
  readonly startIndex: number;
  readonly endIndex: number;
  /** Index of the highest-scoring point. */
  readonly peakIndex: number;
  readonly peakScore: number;
  /** Flagged points merged into the alarm (suppressed ones included). */
  readonly hits: number;
}

/**
 * Alarm post-processing as monitoring systems do it (Prometheus `for:`, Twitter AnomalyDetection's
 * `longterm` merging): flagged points are grouped into runs whose gaps are at most `mergeGap`; runs
 * with fewer than `minHits` points are dropped; a run starting within `suppressionPoints` after the
 * end of the previous alarm is folded into it (its hits count, the window does not grow), so one
 * incident storm is one anomaly. Input need not be sorted; duplicate indices keep the higher score.
 * Cost O(m log m) for m flagged points.
 */
export function mergeAlarms(points: readonly FlaggedPoint[], options: AlarmOptions = {}): AlarmWindow[] {
  const gap = Math.max(0, options.mergeGap ?? 0);
  const minHits = Math.max(1, options.minHits ?? 1);
  const suppression = Math.max(0, options.suppressionPoints ?? 0);
  const sorted = [...points].sort((a, b) => a.index - b.index);
  const runs: { startIndex: number; endIndex: number; peakIndex: number; peakScore: number; hits: number }[] =
    [];
  for (const p of sorted) {
    const last = runs.at(-1);
    if (last && p.index - last.endIndex <= gap + 1) {
      if (p.index !== last.endIndex) last.hits++;
      last.endIndex = Math.max(last.endIndex, p.index);
      if (p.score > last.peakScore) {
        last.peakScore = p.score;
        last.peakIndex = p.index;
      }
    } else {
      runs.push({ startIndex: p.index, endIndex: p.index, peakIndex: p.index, peakScore: p.score, hits: 1 });
    }
  }
  const out: AlarmWindow[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  let previous: (typeof runs)[number] | undefined;
  for (const run of runs) {
    if (run.hits < minHits) continue;
    if (previous && run.startIndex - lastEnd <= suppression) {
      previous.hits += run.hits;
      continue;
    }
    previous = { ...run };
    out.push(previous);
    lastEnd = run.endIndex;
  }
  return out;
}
