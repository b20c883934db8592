import { EngineError } from '../../errors.ts';
import type { AnomalyStatus } from '../../schema/enums.ts';

/** An action a user takes on an anomaly. */
export type AnomalyAction = 'acknowledge' | 'confirm' | 'mark_false_positive' | 'resolve';

/**
 * The legal transitions of the anomaly lifecycle, by action: the statuses it may start from and
 * the status it leads to.
 *
 * - `acknowledge`: DETECTED → INVESTIGATING (someone is looking).
 * - `confirm`: DETECTED or INVESTIGATING → CONFIRMED (a review may skip the acknowledgement; the
 *   acknowledgement time is then set to the review time).
 * - `mark_false_positive`: DETECTED or INVESTIGATING → FALSE_POSITIVE.
 * - `resolve`: any status but RESOLVED → RESOLVED; the review outcome, if any, is kept.
 *
 * A review is final: CONFIRMED and FALSE_POSITIVE do not turn into each other, and nothing leaves
 * RESOLVED.
 */
export const anomalyTransitions: Readonly<
  Record<AnomalyAction, { readonly from: readonly AnomalyStatus[]; readonly to: AnomalyStatus }>
> = {
  acknowledge: { from: ['DETECTED'], to: 'INVESTIGATING' },
  confirm: { from: ['DETECTED', 'INVESTIGATING'], to: 'CONFIRMED' },
  mark_false_positive: { from: ['DETECTED', 'INVESTIGATING'], to: 'FALSE_POSITIVE' },
  resolve: { from: ['DETECTED', 'INVESTIGATING', 'CONFIRMED', 'FALSE_POSITIVE'], to: 'RESOLVED' },
};

/**
 * The status `action` leads to from `current`.
 *
 * @throws EngineError CONFLICT when the lifecycle does not allow the action from `current`.
 */
export function nextStatus(id: string, current: AnomalyStatus, action: AnomalyAction): AnomalyStatus {
  const rule = anomalyTransitions[action];
  if (!rule.from.includes(current)) {
    throw new EngineError(
      'CONFLICT',
      `anomaly ${id} is ${current}; ${action.replaceAll('_', ' ')} is allowed only from ${rule.from.join(', ')}`,
      { id, status: current, action, allowedFrom: rule.from },
    );
  }
  return rule.to;
}
