import type { SqlParams, Transaction } from '../store/database.ts';

/**
 * Notes, for every stored rollup key, the hours an incident write takes rows out of (the old
 * `created_at` hour of a row whose `created_at` moves, or of a deleted row), so the next rollup
 * refresh rebuilds those hours too: the incremental refresh otherwise only sees the rows' current
 * hours (by `updated_at`) and a deleted row not at all. Run it in `tx`, inside the write's
 * transaction, before the write. One set-wise statement; rows already noted are not added again.
 *
 * @param hoursSql a `SELECT` yielding one TIMESTAMP column `hour` (hour-truncated).
 */
export async function markDirtyHours(
  tx: Transaction,
  hoursSql: string,
  params: SqlParams = {},
): Promise<void> {
  await tx.run(
    `INSERT INTO kpi_dirty_hours
     SELECT DISTINCT s.metric_id, h.hour FROM (${hoursSql}) AS h CROSS JOIN kpi_rollup_state AS s
     WHERE h.hour IS NOT NULL
     EXCEPT SELECT metric_id, hour FROM kpi_dirty_hours`,
    params,
  );
}
