import type { OutageRule } from '../kpi/kpi-options.ts';
import { metricTypeInfo } from '../kpi/metric-types.ts';
import { sampleRelation } from '../kpi/sample-sql.ts';
import type { Transaction } from '../store/database.ts';
import type { SlaContractRecord } from './cost-config-store.ts';
import { divideHalfUp, scaled } from './money.ts';

/** One contract period `[start, end)`, UTC. */
interface ContractPeriod {
  readonly start: Date;
  readonly end: Date;
}

const dayMs = 86_400_000;

/** The calendar period (`DAY`, `WEEK` from Monday, `MONTH`; UTC) containing `at`. */
export function periodOf(period: SlaContractRecord['period'], at: Date): ContractPeriod {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (period === 'MONTH') return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  const day = Date.UTC(y, m, d);
  if (period === 'DAY') return { start: new Date(day), end: new Date(day + dayMs) };
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  return { start: new Date(day - sinceMonday * dayMs), end: new Date(day + (7 - sinceMonday) * dayMs) };
}

/** The contract's periods that overlap `[start, end)` and its effective range, oldest first. */
export function periodsOverlapping(contract: SlaContractRecord, start: Date, end: Date): ContractPeriod[] {
  const from = Math.max(start.getTime(), contract.effective_from.getTime());
  const to = Math.min(end.getTime(), contract.effective_to?.getTime() ?? Number.POSITIVE_INFINITY);
  const periods: ContractPeriod[] = [];
  for (let at = from; at < to; ) {
    const p = periodOf(contract.period, new Date(at));
    periods.push(p);
    at = p.end.getTime();
  }
  return periods;
}

/**
 * The penalty tier due at `availability` percent: the tier with the lowest `below` that the
 * availability is under (tiers sorted by `below`, highest first), or `undefined` when it is at or
 * above every tier, the target included.
 */
export function tierFor(
  tiers: readonly { below: number; amount: string }[],
  availability: number,
): { below: number; amount: string } | undefined {
  let due: { below: number; amount: string } | undefined;
  for (const tier of tiers) if (availability < tier.below) due = tier;
  return due;
}

/** What a breached contract period owes, ready to store as a PENALTY analysis. */
export interface PenaltyCandidate {
  readonly contract: SlaContractRecord;
  readonly period: ContractPeriod;
  readonly availability: number;
  readonly tier: { below: number; amount: string };
  readonly amountCents: bigint;
  readonly downtimeSeconds: number;
  /** The outage incident during which the period's downtime budget ran out. */
  readonly incidentId: string;
}

/**
 * The period's availability as the KPI capability computes AVAILABILITY (the system metric's
 * outage severities, maintenance windows excluded, open outages ended by `rule`) for the
 * contract's service alone; `null` when it cannot be computed (a period all maintenance).
 */
async function periodAvailability(
  tx: Transaction,
  contract: SlaContractRecord,
  period: ContractPeriod,
  rule: OutageRule,
): Promise<number | null> {
  const relation = sampleRelation(
    'AVAILABILITY',
    {
      incident_categories: [],
      incident_severities: metricTypeInfo.AVAILABILITY.systemSeverities,
      incident_priorities: [],
      services: [contract.service],
      teams: [],
    },
    rule,
  );
  const row = await tx.one(`SELECT x FROM (${relation.sql}) WHERE x IS NOT NULL LIMIT 1`, {
    ...relation.params,
    start: period.start,
    end: period.end,
  });
  return row ? Number(row['x']) : null;
}

/**
 * The outage incident of the period during which cumulative downtime (overlaps merged, clipped to
 * the period) first went past the budget `(100 − target)% × period`; the last outage when
 * maintenance windows moved the breach later than the plain budget says.
 */
async function breachingIncident(
  tx: Transaction,
  contract: SlaContractRecord,
  period: ContractPeriod,
  rule: OutageRule,
): Promise<{ id: string; downtimeSeconds: number } | undefined> {
  const horizon = Number.isFinite(rule.openHorizonSeconds) ? rule.openHorizonSeconds : 1e12;
  const rows = await tx.rows(
    `SELECT id::VARCHAR AS id, epoch_ms(greatest(created_at, $start)) AS s,
       epoch_ms(least(coalesce(resolved_at, created_at + to_seconds(CAST($horizon AS DOUBLE))), $end)) AS e
     FROM incidents WHERE service = $service AND list_contains($severities, severity) AND created_at < $end
       AND coalesce(resolved_at, created_at + to_seconds(CAST($horizon AS DOUBLE))) > $start
     ORDER BY created_at, id`,
    {
      start: period.start,
      end: period.end,
      horizon,
      service: contract.service,
      severities: [...metricTypeInfo.AVAILABILITY.systemSeverities],
    },
  );
  const budgetMs =
    ((100 - contract.availability_target) / 100) * (period.end.getTime() - period.start.getTime());
  let downMs = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  let breach: string | undefined;
  for (const row of rows) {
    const s = Number(row['s']);
    const e = Number(row['e']);
    const from = Math.max(s, coveredUntil);
    if (e > from) downMs += e - from;
    coveredUntil = Math.max(coveredUntil, e);
    if (breach === undefined && downMs > budgetMs) breach = String(row['id']);
  }
  const last = rows.at(-1);
  const id = breach ?? (last ? String(last['id']) : undefined);
  return id === undefined ? undefined : { id, downtimeSeconds: Math.round(downMs / 1000) };
}

/**
 * The penalties of `contract` over the periods overlapping `[start, end)`: one per period whose
 * availability is below the target. A period still running is measured over its whole length
 * (time to come counts as up), so its penalty appears at the moment its downtime budget is spent.
 * `fxMicro` converts the contract currency to the reporting one (millionths).
 */
export async function contractPenalties(
  tx: Transaction,
  contract: SlaContractRecord,
  window: { start: Date; end: Date },
  rule: OutageRule,
  fxMicro: bigint,
): Promise<PenaltyCandidate[]> {
  const candidates: PenaltyCandidate[] = [];
  for (const period of periodsOverlapping(contract, window.start, window.end)) {
    const availability = await periodAvailability(tx, contract, period, rule);
    if (availability === null) continue;
    const tier = tierFor(contract.penalty_tiers, availability);
    if (!tier) continue;
    const breach = await breachingIncident(tx, contract, period, rule);
    if (!breach) continue;
    const amountCents = divideHalfUp(scaled(tier.amount, 2, 'penalty amount') * fxMicro, 1_000_000n);
    candidates.push({
      contract,
      period,
      availability,
      tier,
      amountCents,
      downtimeSeconds: breach.downtimeSeconds,
      incidentId: breach.id,
    });
  }
  return candidates;
}
