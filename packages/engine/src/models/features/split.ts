import { EngineError } from '../../errors.ts';

/**
 * Time split of `count` rows ordered by time: the oldest share trains, the newest `holdout` share
 * evaluates, never shuffled, so a model is judged on incidents newer than every one it learnt
 * from. The test share has ⌈count × holdout⌉ rows, as scikit-learn's `train_test_split` sizes it.
 * Ranges are half-open index ranges [from, to).
 *
 * @throws EngineError VALIDATION_ERROR for a count that is not a whole number ≥ 0 or a holdout
 *   outside (0, 1).
 */
export function splitByTime(
  count: number,
  holdout = 0.2,
): { train: [number, number]; test: [number, number] } {
  if (!Number.isInteger(count) || count < 0) {
    throw new EngineError('VALIDATION_ERROR', `count must be a whole number from 0, not ${count}`, {
      errors: [{ field: 'count', message: 'must be a whole number from 0' }],
    });
  }
  if (!(holdout > 0 && holdout < 1)) {
    throw new EngineError('VALIDATION_ERROR', `holdout must be above 0 and below 1, not ${holdout}`, {
      errors: [{ field: 'holdout', message: 'must be above 0 and below 1' }],
    });
  }
  const trainCount = count - Math.ceil(count * holdout);
  return { train: [0, trainCount], test: [trainCount, count] };
}
