import type { IncidentStatus, Severity } from '../schema/enums.ts';
import {
  ackMedianSeconds,
  ackSigma,
  affectedUsersMedian,
  closeMedianSeconds,
  escalationChance,
  priorityOrder,
  priorityWeights,
  regions,
  type ServiceProfile,
  services,
  severityOrder,
  sources,
  symptoms,
  teamSpeed,
  workMedianSeconds,
  workSigma,
} from './catalog.ts';
import type { AnomalyPlan, SynthPlan } from './plan.ts';
import { serviceRate } from './plan.ts';
import { mixSeed, Random } from './random.ts';
import { recurringProblems } from './recurring.ts';
import type { SyntheticIncident } from './types.ts';

const hourMs = 3_600_000;
const stormSeverity = [0, 0.2, 0.5, 0.3];

/** What one incident of an hour was: background (service index), storm, or a recurring problem. */
export interface HourIncident {
  readonly incident: SyntheticIncident;
  /** Index into `services`. */
  readonly service: number;
  /** Index into `recurringProblems`, or -1. */
  readonly problem: number;
}

/**
 * Generates the incidents of hour `h` of the plan, in time order, with their ids. Each hour has
 * its own generator seeded from the plan's seed and `h`, so any hour can be regenerated alone.
 * The first draws are the background arrival times, so {@link backgroundTimes} can reproduce
 * them without generating the rest.
 */
export function generateHour(plan: SynthPlan, h: number): HourIncident[] {
  const rng = new Random(mixSeed(plan.seed, 0x4a11, h));
  const hourStart = plan.startMs + h * hourMs;
  const times = drawTimes(rng, plan.counts[h] as number, hourStart);
  const events = plan.occurrencesByHour.get(h) ?? [];
  const rates = new Float64Array(services.length);
  const spikes: (AnomalyPlan | undefined)[] = new Array(services.length);
  for (let s = 0; s < services.length; s++) {
    rates[s] = serviceRate(plan, h, s);
    spikes[s] = plan.anomalies.find(
      (a) => a.kind === 'count_spike' && a.service === s && h >= a.startHour && h < a.endHour,
    );
  }
  const active = plan.anomalies.filter((a) => h >= a.startHour && h < a.endHour);
  const mixShift = active.find((a) => a.kind === 'severity_mix');
  const mttaShift = active.find((a) => a.kind === 'mtta_shift');
  const out: HourIncident[] = [];
  let nextId = (plan.offsets[h] as number) + 1;
  let e = 0;
  for (let i = 0; i <= times.length; i++) {
    const t = i < times.length ? (times[i] as number) : Number.POSITIVE_INFINITY;
    // Background first on equal times, as backgroundTimes() assumes for the ids of recurring ones.
    while (e < events.length && (events[e]?.at as number) < t) {
      const ev = events[e++]!;
      const incident = recurringIncident(rng, plan, ev.problem, ev.at, nextId++, mttaShift);
      out.push({
        incident,
        service: services.findIndex((s) => s.name === incident.service),
        problem: ev.problem,
      });
    }
    if (i === times.length) break;
    const service = rng.weighted(rates);
    const spike = spikes[service];
    const storm = spike !== undefined && rng.chance(spike.addPerHour / (rates[service] as number));
    const incident = backgroundIncident(
      rng,
      plan,
      service,
      t,
      nextId++,
      storm ? spike : undefined,
      mixShift,
      mttaShift,
    );
    out.push({ incident, service, problem: -1 });
  }
  return out;
}

/** The background arrival times of hour `h`, ascending (epoch ms), as {@link generateHour} draws them. */
export function backgroundTimes(plan: SynthPlan, h: number): Float64Array {
  const rng = new Random(mixSeed(plan.seed, 0x4a11, h));
  return drawTimes(rng, plan.counts[h] as number, plan.startMs + h * hourMs);
}

function drawTimes(rng: Random, n: number, hourStart: number): Float64Array {
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = hourStart + Math.floor(rng.float() * hourMs);
  return times.sort();
}

function backgroundIncident(
  rng: Random,
  plan: SynthPlan,
  serviceIndex: number,
  at: number,
  id: number,
  storm: AnomalyPlan | undefined,
  mixShift: AnomalyPlan | undefined,
  mttaShift: AnomalyPlan | undefined,
): SyntheticIncident {
  const service = services[serviceIndex] as ServiceProfile;
  const team = rng.chance(0.85) ? service.team : service.otherTeam;
  const symptom = symptoms[storm ? storm.symptom : rng.pick(service.symptoms)]!;
  const weights = storm
    ? stormSeverity
    : mixShift && mixShift.service === serviceIndex && mixShift.severityWeights
      ? mixShift.severityWeights
      : service.severity;
  const severity = severityOrder[rng.weighted(weights)] as Severity;
  const slots = new Map<string, string>();
  const title = fillTemplate(symptom.title, rng, service, slots);
  const source = rng.pick(sources);
  const tags: string[] = [source];
  if (rng.chance(0.6)) tags.push(rng.pick(service.tags));
  if (severity === 'CRITICAL') tags.push('major-incident');
  const description = `${fillTemplate(symptom.symptom, rng, service, slots)} Reported by ${source} at ${clockText(at)} UTC.${
    storm ? ` Related alerts are firing across ${service.name}.` : ''
  }`;
  return finish(rng, plan, {
    id,
    at,
    title,
    description,
    category: symptom.category,
    subcategory: symptom.subcategory,
    severity,
    service: service.name,
    team,
    tags,
    mttaFactor: mttaShift && mttaShift.team === team ? mttaShift.factor : 1,
  });
}

function recurringIncident(
  rng: Random,
  plan: SynthPlan,
  problemIndex: number,
  at: number,
  id: number,
  mttaShift: AnomalyPlan | undefined,
): SyntheticIncident {
  const problem = recurringProblems[problemIndex]!;
  const n = String(rng.int(2, 999));
  return finish(rng, plan, {
    id,
    at,
    title: problem.title.replace('{n}', n),
    description: problem.description.replace('{n}', n),
    category: problem.category,
    subcategory: problem.subcategory,
    severity: problem.severity,
    service: problem.service,
    team: problem.team,
    tags: [...problem.tags],
    mttaFactor: mttaShift && mttaShift.team === problem.team ? mttaShift.factor : 1,
  });
}

interface Draft {
  id: number;
  at: number;
  title: string;
  description: string;
  category: string;
  subcategory: string;
  severity: Severity;
  service: string;
  team: string;
  tags: string[];
  mttaFactor: number;
}

/** Draws priority, the lifecycle timestamps and the counters, then cuts at the window's end. */
function finish(rng: Random, plan: SynthPlan, d: Draft): SyntheticIncident {
  const { severity } = d;
  const priority = priorityOrder[rng.weighted(priorityWeights[severity])]!;
  const speed = teamSpeed[d.team] ?? 1;
  const abandoned = rng.chance(0.002);
  const unacknowledged = !abandoned && (severity === 'LOW' || severity === 'MEDIUM') && rng.chance(0.01);
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

/** A template split at its placeholders: literal text at even indexes, placeholder names at odd ones. */
type Compiled = readonly string[];
const compiled = new Map<string, Compiled>();

function compile(template: string): Compiled {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  return parts;
}

/**
 * Fills a template; `slots` keeps each placeholder's value so the title and the description of one
 * incident name the same host, number and dependency.
 */
function fillTemplate(
  template: string,
  rng: Random,
  service: ServiceProfile,
  slots: Map<string, string>,
): string {
  const parts = compile(template);
  let text = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    let value = slots.get(key);
    if (value === undefined) {
      value = placeholderValue(key, rng, service);
      slots.set(key, value);
    }
    text += value + (parts[i + 1] as string);
  }
  return text;
}

function placeholderValue(key: string, rng: Random, service: ServiceProfile): string {
  switch (key) {
    case 'service':
      return service.name;
    case 'host':
      return `${service.name}-${String(rng.int(1, 24)).padStart(2, '0')}`;
    case 'pct':
      return String(rng.int(70, 99));
    case 'dep':
      return rng.pick(service.dependencies);
    case 'region':
      return rng.pick(regions);
    default:
      return String(rng.int(2, 900));
  }
}

/** `HH:MM` of an epoch-ms instant in UTC. */
function clockText(ms: number): string {
  const minutes = Math.floor(ms / 60_000) % 1440;
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  return `${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}`;
}
