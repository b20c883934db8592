import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import type { AnomalyStatus } from '../../schema/enums.ts';
import type { Transaction } from '../../store/database.ts';

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

/** An action note: text of at most 2,000 characters, trimmed; blank means none. */
export const actionNoteSchema = z.string().trim().max(2_000).nullish();

/**
 * The non-blank action notes of `values`, trimmed.
 *
 * @throws EngineError VALIDATION_ERROR (field `note`) for a note that is not text or is over 2,000 characters.
 */
export function parseNotes(values: readonly unknown[]): string[] {
  const notes: string[] = [];
  for (const value of values) {
    const parsed = actionNoteSchema.safeParse(value);
    if (!parsed.success) {
      throw new EngineError('VALIDATION_ERROR', 'the action note must be text of at most 2,000 characters', {
        field: 'note',
      });
    }
    if (parsed.data) notes.push(parsed.data);
  }
  return notes;
}

/**
 * What a lifecycle step adds to its `UPDATE` to record `notes`: each appended to `actions_taken`
 * as `"<ISO time> <user>: <note>"` (the user's name, else their id, else `system` for an action
 * taken without one) and to `metadata.actions` as `{ at, by, user, action, note }`, after what
 * earlier actions left. `metadata` is the row's current metadata as JSON text, read in the same
 * transaction. Nothing (`set` empty) without notes.
 */
export async function actionNotesUpdate(
  tx: Transaction,
  step: { notes: readonly string[]; at: Date; by: string | null; action: AnomalyAction; metadata: unknown },
): Promise<{ set: string; params: Record<string, string | string[]> }> {
  if (step.notes.length === 0) return { set: '', params: {} };
  const named = step.by
    ? await tx.one('SELECT username FROM users WHERE id = $by::UUID', { by: step.by })
    : undefined;
  const user = named ? String(named['username']) : (step.by ?? 'system');
  const at = step.at.toISOString();
  const metadata = step.metadata ? (JSON.parse(String(step.metadata)) as Record<string, unknown>) : {};
  const earlier = Array.isArray(metadata['actions']) ? (metadata['actions'] as unknown[]) : [];
  const entries = step.notes.map((note) => ({ at, by: step.by, user, action: step.action, note }));
  return {
    set: ', actions_taken = list_concat(actions_taken, $lines), metadata = $metadata::JSON',
    params: {
      lines: step.notes.map((note) => `${at} ${user}: ${note}`),
      metadata: JSON.stringify({ ...metadata, actions: [...earlier, ...entries] }),
    },
  };
}
