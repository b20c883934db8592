import type { Database, SqlValue } from '../store/database.ts';
import { formatCents, formatHours, perUnitCents } from './money.ts';

/** `GET /cost-analyses/summary/`: exactly the spec's fields, amounts as two-decimal text. */
export interface CostSummary {
  total_cost: string;
  currency: string;
  downtime_cost: string;
  lost_revenue: string;
  penalty_cost: string;
  resource_cost: string;
  /** Hours of the DOWNTIME analyses, without trailing zeros (`"150.5"`). */
  total_downtime_hours: string;
  /** Affected users summed over the distinct incidents analysed. */
  total_affected_users: number;
  /** total_cost / total_downtime_hours, half-up to 0.01; `"0.00"` without downtime. */
  cost_per_hour: string;
  /** total_cost / total_affected_users, half-up to 0.01; `"0.00"` without affected users. */
  cost_per_user: string;
}

/**
 * The summary over the analyses `where` selects (fixed SQL with bound `params`). Amounts in force
 * (a correction, else the computed amount) are summed exactly as DECIMAL, then divided in integer
 * cents, half-up: 125,000.00 over 150.5 hours is 830.56.
 */
export async function costSummary(
  db: Database,
  where: string,
  params: Record<string, SqlValue>,
  currency: string,
): Promise<CostSummary> {
  const row = await db.one(
    `WITH a AS (SELECT * FROM cost_analyses ${where})
     SELECT CAST(coalesce(sum(coalesce(corrected_amount, cost_amount)), 0) * 100 AS HUGEINT)::VARCHAR AS total,
       CAST(coalesce(sum(coalesce(corrected_amount, cost_amount)) FILTER (cost_type = 'DOWNTIME'), 0) * 100 AS HUGEINT)::VARCHAR AS downtime,
       CAST(coalesce(sum(coalesce(corrected_amount, cost_amount)) FILTER (cost_type = 'LOST_REVENUE'), 0) * 100 AS HUGEINT)::VARCHAR AS revenue,
       CAST(coalesce(sum(coalesce(corrected_amount, cost_amount)) FILTER (cost_type = 'PENALTY'), 0) * 100 AS HUGEINT)::VARCHAR AS penalty,
       CAST(coalesce(sum(coalesce(corrected_amount, cost_amount)) FILTER (cost_type = 'RESOURCE_COST'), 0) * 100 AS HUGEINT)::VARCHAR AS resource,
       CAST(coalesce(sum(downtime_hours) FILTER (cost_type = 'DOWNTIME'), 0) * 10000 AS HUGEINT)::VARCHAR AS hours,
       (SELECT coalesce(sum(coalesce(i.affected_users, 0)), 0) FROM incidents AS i
         WHERE i.id IN (SELECT incident_id FROM a))::VARCHAR AS users
     FROM a`,
    params,
  );
  const big = (name: string): bigint => BigInt(String(row?.[name] ?? '0'));
  const total = big('total');
  const hours = big('hours');
  const users = big('users');
  return {
    total_cost: formatCents(total),
    currency,
    downtime_cost: formatCents(big('downtime')),
    lost_revenue: formatCents(big('revenue')),
    penalty_cost: formatCents(big('penalty')),
    resource_cost: formatCents(big('resource')),
    total_downtime_hours: formatHours(hours),
    total_affected_users: Number(users),
    cost_per_hour: formatCents(perUnitCents(total, hours, 10_000n) ?? 0n),
    cost_per_user: formatCents(perUnitCents(total, users, 1n) ?? 0n),
  };
}
