/** A candidate alarm for {@link selectAlarms}: an inclusive window (any unit) and a ranking score. */
export interface AlarmCandidate {
  readonly start: number;
  readonly end: number;
  /** Larger is more anomalous; compared only with the other candidates of the same series. */
  readonly score: number;
}

/** Options of {@link selectAlarms}. */
export interface AlarmBudgetOptions {
  /** At most this many alarms are kept (≥ 1). */
  readonly maxAlarms: number;
  /**
   * A candidate is kept only when its score is at least this share of the best candidate's score
   * (0 keeps every candidate the budget allows, 1 only ties with the best); default 0.
   */
  readonly relativeScore?: number;
  /**
   * Exclusion zone in the unit of the windows: a candidate whose window comes within this distance of
   * an alarm already kept is the same event and is dropped; default 0 (only overlapping windows).
   */
  readonly exclusion?: number;
}

/**
 * Alarm budget by greedy non-maximum suppression: candidates are visited from the highest score
 * down; each is kept unless it lies within `exclusion` of a kept alarm, until `maxAlarms` are kept or
 * the score falls below `relativeScore` × the best score. This is how production detectors bound the
 * alarm rate of one series (a maximum rate, as in Twitter's AnomalyDetection `max_anoms`, combined
 * with the relative-score cut of matrix-profile discord search, which reports a discord only while
 * it stands out against the best one; Yeh et al. 2016): an isolated extreme well above the series'
 * other candidates survives, a series full of similar-looking flags reports only its strongest.
 * Returns the indices of the kept candidates in ascending window-start order. Non-finite scores rank
 * above finite ones; NaN scores are never kept. Cost O(m log m + m·k) for m candidates, k kept.
 *
 * @throws RangeError when `maxAlarms` is not a positive integer or `relativeScore` is outside [0, 1].
 */
export function selectAlarms(candidates: readonly AlarmCandidate[], options: AlarmBudgetOptions): number[] {
  const { maxAlarms } = options;
  const relative = options.relativeScore ?? 0;
  const exclusion = Math.max(0, options.exclusion ?? 0);
  if (!(Number.isInteger(maxAlarms) && maxAlarms >= 1))
    throw new RangeError('maxAlarms must be an integer ≥ 1');
  if (!(relative >= 0 && relative <= 1)) throw new RangeError('relativeScore must be in [0, 1]');
  const order = candidates
    .map((_, i) => i)
    .filter((i) => !Number.isNaN(candidates[i]!.score))
    .sort(
      (a, b) => candidates[b]!.score - candidates[a]!.score || candidates[a]!.start - candidates[b]!.start,
    );
  const best = order.length > 0 ? candidates[order[0]!]!.score : 0;
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxAlarms) break;
    const c = candidates[i]!;
    // Below the cut (an infinite best only admits other infinite scores).
    if (best > 0 && c.score < relative * best) break;
    const near = kept.some((j) => {
      const k = candidates[j]!;
      return c.start <= k.end + exclusion && c.end >= k.start - exclusion;
    });
    if (!near) kept.push(i);
  }
  return kept.sort((a, b) => candidates[a]!.start - candidates[b]!.start);
}
