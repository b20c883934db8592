import type { AnomalySeverity } from '../../schema/enums.ts';

/** One SLA contract period the anomaly pushes below, or near, its availability target. */
export interface SlaImpact {
  readonly contract_id: string;
  readonly name: string;
  readonly service: string;
  readonly period: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly availability_target: number;
  /** The period's availability, percent, with the anomaly's outages. */
  readonly availability: number;
  /** The same without the anomaly's related incidents. */
  readonly availability_without: number;
  /** Share of the period's downtime budget `(100 − target)% × agreed time` spent (1 = all of it); null for a 100% target. */
  readonly budget_used: number | null;
  /** BREACHED below the target; NEAR at or above it with at least {@link nearBudgetShare} of the budget spent. */
  readonly status: 'BREACHED' | 'NEAR';
}

/** A mean delay of the anomaly's incidents against its baseline, with the counts behind each. */
export interface DelayComparison {
  readonly window: number | null;
  readonly window_incidents: number;
  readonly baseline: number | null;
  readonly baseline_incidents: number;
}

/** The cost analyses of the related incidents in one currency, exact amounts as text. */
export interface CostImpact {
  readonly currency: string;
  readonly total: string;
  readonly by_type: Record<string, string>;
  readonly analyses: number;
}

/** The structured figures of an impact (stored under `metadata.impact`). */
export interface ImpactFigures {
  readonly incidents: number;
  readonly affected_users: number;
  readonly downtime_hours: number;
  readonly downtime_by_service: readonly { service: string; hours: number; periods: number }[];
  readonly cost: readonly CostImpact[];
  readonly sla: readonly SlaImpact[];
  readonly mtta_minutes: DelayComparison;
  readonly mttr_hours: DelayComparison;
}

/** A contract period is NEAR its target once this share of its downtime budget is spent. */
export const nearBudgetShare = 0.8;

/** Affected users from which an anomaly is at least MEDIUM. */
const manyUsers = 1000;

const levels: readonly AnomalySeverity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * The lowest severity an impact warrants, with the reasons:
 * - an SLA contract period pushed below its target (BREACHED) → at least HIGH;
 * - one pushed NEAR it (80% or more of its downtime budget spent) → at least MEDIUM;
 * - 1,000 or more affected users → at least MEDIUM;
 * - a total cost in the reporting currency at or above the cost settings'
 *   `incident_cost_threshold` (when one is set) → at least MEDIUM.
 * `null` when none applies.
 */
export function severityFloor(
  figures: ImpactFigures,
  costThreshold: { currency: string; cents: bigint } | null,
): { floor: AnomalySeverity | null; reasons: string[] } {
  const reasons: string[] = [];
  let level = -1;
  const raise = (to: number, reason: string) => {
    level = Math.max(level, to);
    reasons.push(reason);
  };
  for (const s of figures.sla) {
    raise(
      s.status === 'BREACHED' ? 2 : 1,
      `SLA ${s.name} ${s.status === 'BREACHED' ? 'breached' : 'near target'}`,
    );
  }
  if (figures.affected_users >= manyUsers) raise(1, `${figures.affected_users} affected users`);
  const cost = costThreshold && figures.cost.find((c) => c.currency === costThreshold.currency);
  if (cost && costThreshold && centsOf(cost.total) >= costThreshold.cents) {
    raise(1, `cost ${cost.currency} ${cost.total} at or above the threshold`);
  }
  return { floor: level < 0 ? null : (levels[level] ?? null), reasons };
}

/** Exact amount text ("12400.00") as cents. */
export function centsOf(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
}

const grouped = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const oneDecimal = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
const money = (amount: string) => {
  const [whole = '0', fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
};
const percent = (n: number) => `${(Math.floor(n * 100) / 100).toFixed(2)}%`;

/**
 * The impact paragraph, e.g. "41 incidents, 3,200 users affected, 5.5 h of downtime on Payments;
 * USD 12,400.00 (DOWNTIME 9,000.00, LOST_REVENUE 3,400.00); pushes the Payments Gold SLA to 99.82%
 * against 99.9%; MTTR 3.1 h against 1.2 h usual." Availability is truncated, never rounded up
 * to the target.
 */
export function impactText(f: ImpactFigures): string {
  const parts: string[] = [];
  const head = [`${grouped(f.incidents)} incident${f.incidents === 1 ? '' : 's'}`];
  if (f.affected_users > 0) head.push(`${grouped(f.affected_users)} users affected`);
  if (f.downtime_by_service.length === 1) {
    head.push(`${oneDecimal(f.downtime_hours)} h of downtime on ${f.downtime_by_service[0]?.service}`);
  } else if (f.downtime_by_service.length > 1) {
    const shown = f.downtime_by_service.slice(0, 3).map((d) => `${d.service} ${oneDecimal(d.hours)} h`);
    const more = f.downtime_by_service.length - shown.length;
    head.push(
      `${oneDecimal(f.downtime_hours)} h of downtime (${shown.join(', ')}${more > 0 ? `, ${more} more services` : ''})`,
    );
  }
  parts.push(head.join(', '));
  for (const c of f.cost) {
    const types = Object.entries(c.by_type).map(([type, amount]) => `${type} ${money(amount)}`);
    parts.push(`${c.currency} ${money(c.total)} (${types.join(', ')})`);
  }
  for (const s of f.sla) {
    const verb = s.status === 'BREACHED' ? 'pushes' : 'brings';
    const budget =
      s.status === 'NEAR' && s.budget_used !== null
        ? `, ${Math.round(s.budget_used * 100)}% of its downtime budget spent`
        : '';
    parts.push(
      `${verb} the ${s.name} SLA to ${percent(s.availability)} against ${s.availability_target}%${budget}`,
    );
  }
  const delays: string[] = [];
  const { mtta_minutes: a, mttr_hours: r } = f;
  if (a.window !== null && a.baseline !== null) {
    delays.push(`MTTA ${Math.round(a.window)} min against ${Math.round(a.baseline)} min usual`);
  }
  if (r.window !== null && r.baseline !== null) {
    delays.push(`MTTR ${oneDecimal(r.window)} h against ${oneDecimal(r.baseline)} h usual`);
  }
  if (delays.length > 0) parts.push(delays.join(', '));
  return `${parts.join('; ')}.`;
}
