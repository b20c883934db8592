/**
 * The retry schedule of a failed delivery: full-jitter exponential backoff. After the n-th failed
 * attempt the next one waits a uniform draw in [0, initial · 2^(n−1)] ms; once that next attempt
 * would come later than `horizonMs` after the first attempt, the delivery is dead-lettered instead.
 */

/** The longest wait after the `attempt`-th failure (1-based): `initialMs · 2^(attempt−1)`. Pure. */
export function backoffCeilingMs(attempt: number, initialMs: number): number {
  return initialMs * 2 ** Math.max(0, attempt - 1);
}

/** What a failure leads to: the next attempt's time, or `null` for a dead letter. */
export function nextAttemptAfterFailure(input: {
  /** Attempts made so far, the failed one included (1 after the first). */
  readonly attempt: number;
  readonly firstAttemptAt: Date;
  readonly now: Date;
  readonly initialMs: number;
  readonly horizonMs: number;
  /** A uniform draw in [0, 1) (the seeded jitter stream). */
  readonly draw: number;
}): Date | null {
  const delay = Math.floor(input.draw * (backoffCeilingMs(input.attempt, input.initialMs) + 1));
  const next = input.now.getTime() + delay;
  if (next > input.firstAttemptAt.getTime() + input.horizonMs) return null;
  return new Date(next);
}
