import type { IncidentStatus, Severity } from '../schema/enums.ts';
import {
  ackMedianSeconds,
  ackSigma,
  affectedUsersMedian,
  closeMedianSeconds,
  escalationChance,
  priorityOrder,
  priorityWeights,
  teamSpeed,
  workMedianSeconds,
  workSigma,
} from './catalog.ts';
import type { SynthPlan } from './plan.ts';
import { mixSeed, Random } from './random.ts';
import type { SyntheticIncident } from './types.ts';

const hourMs = 3_600_000;
/** Incidents created this close to the window's end may still be untouched (never acknowledged). */
const untouchedWindowMs = 48 * hourMs;

/** What an incident is before its lifecycle is drawn: where, what and how severe. */
export interface IncidentDraft {
  /** Its number: the incident is `SYN-<id>`. */
  id: number;
  /** Creation time, epoch ms. */
  at: number;
  title: string;
  description: string;
  category: string;
  subcategory: string;
  severity: Severity;
  service: string;
  team: string;
  tags: string[];
  /** Multiplier on the acknowledge time (a planted MTTA shift), 1 otherwise. */
  mttaFactor: number;
}

/**
 * Draws an incident's priority, lifecycle timestamps and counters, then cuts them at the window's
 * end. The draws come from a generator of the incident's own (seeded by the plan's seed and the
 * incident's id), not from the hour's: how many draws a lifecycle takes depends on its severity
 * (escalation, reassignments, reopens), and the hour's stream must not depend on it, so that a
 * different severity mix leaves every arrival, service, team and title where it was.
 */
export function drawLifecycle(plan: SynthPlan, d: IncidentDraft): SyntheticIncident {
  const rng = new Random(mixSeed(plan.seed, 0x11fe, d.id));
  const { severity } = d;
  const priority = priorityOrder[rng.weighted(priorityWeights[severity])]!;
  const speed = teamSpeed[d.team] ?? 1;
  // 0.2% are drawn to be left untouched, but only the recent ones stay so (a ticket nobody looks at
  // for weeks does not happen to a real outage); older ones are worked like the rest.
  const drawnUntouched = rng.chance(0.002);
  const abandoned = drawnUntouched && d.at >= plan.endMs - untouchedWindowMs;
  const unacknowledged = !drawnUntouched && (severity === 'LOW' || severity === 'MEDIUM') && rng.chance(0.01);
  const ackSeconds = rng.lognormal(ackMedianSeconds[severity] * speed * d.mttaFactor, ackSigma);
  const workMedian = workMedianSeconds[severity] * speed;
  const workSeconds = rng.lognormal(workMedian, workSigma);
  let ack: number | null = abandoned || unacknowledged ? null : d.at + Math.round(ackSeconds * 1000);
  let resolved: number | null = abandoned ? null : (ack ?? d.at) + Math.round(workSeconds * 1000);
  const long = workSeconds > 3 * workMedian;
  const escalated = rng.chance(Math.min(0.9, escalationChance[severity] * (long ? 2 : 1)));
  const u = rng.float();
  const critical = severity === 'CRITICAL';
  const escalation = escalated
    ? 1 + (u < (critical ? 0.5 : 0.3) ? 1 : 0) + (u < (critical ? 0.2 : 0.08) ? 1 : 0)
    : 0;
  const reassignments = rng.poisson(0.3 + 0.7 * escalation);
  const reopens = rng.chance(escalation > 0 ? 0.08 : 0.04) ? (rng.chance(0.1) ? 2 : 1) : 0;
  const neverClosed = rng.chance(0.03);
  const closeSeconds = rng.lognormal(closeMedianSeconds, 0.8);
  let closed: number | null =
    resolved === null || neverClosed ? null : resolved + Math.round(closeSeconds * 1000);
  const users = rng.chance(0.08)
    ? null
    : Math.max(1, Math.round(rng.lognormal(affectedUsersMedian[severity], 1.2)));
  const openState = rng.float();
  if (escalation > 0) d.tags.push('escalated');
  // Nothing has happened yet after the end of the window: the data is observed then.
  if (ack !== null && ack >= plan.endMs) ack = null;
  if (resolved !== null && resolved >= plan.endMs) resolved = null;
  if (closed !== null && closed >= plan.endMs) closed = null;
  let status: IncidentStatus;
  if (closed !== null) status = 'CLOSED';
  else if (resolved !== null) status = 'RESOLVED';
  else if (ack !== null)
    status = openState < 0.15 ? 'ON_HOLD' : openState < 0.65 ? 'IN_PROGRESS' : 'ACKNOWLEDGED';
  else status = 'OPEN';
  return {
    external_id: `SYN-${d.id}`,
    title: d.title,
    description: d.description,
    category: d.category,
    subcategory: d.subcategory,
    severity,
    priority,
    status,
    service: d.service,
    team: d.team,
    created_at: new Date(d.at),
    acknowledged_at: ack === null ? null : new Date(ack),
    resolved_at: resolved === null ? null : new Date(resolved),
    closed_at: closed === null ? null : new Date(closed),
    escalation_level: escalation,
    reopen_count: reopens,
    reassignment_count: reassignments,
    affected_users: users,
    tags: d.tags,
  };
}
