import type { Severity } from '../schema/enums.ts';
import { regions, type ServiceProfile, services, severityOrder, sources, symptoms } from './catalog.ts';
import { drawLifecycle } from './lifecycle.ts';
import type { AnomalyPlan, SynthPlan } from './plan.ts';
import { serviceRate } from './plan.ts';
import { mixSeed, Random } from './random.ts';
import { recurringProblems } from './recurring.ts';
import type { SyntheticIncident } from './types.ts';

const hourMs = 3_600_000;
/** Severity weights LOW, MEDIUM, HIGH, CRITICAL of storm incidents: a storm is severe. */
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
 * them without generating the rest. Each incident's lifecycle draws from a generator of its own
 * (see {@link drawLifecycle}), so the hour's draws do not depend on any incident's severity.
 */
export function generateHour(plan: SynthPlan, h: number): HourIncident[] {
  const rng = new Random(mixSeed(plan.seed, 0x4a11, h));
  const hourStart = plan.startMs + h * hourMs;
  const times = drawTimes(rng, plan.counts[h] as number, hourStart);
  const events = plan.occurrencesByHour.get(h) ?? [];
  // A storm takes exactly its planned number of the hour's arrivals (all of them if fewer came);
  // the others are ordinary arrivals, shared out by the services' usual rates.
  const spike = plan.anomalies.find((a) => a.kind === 'count_spike' && h >= a.startHour && h < a.endHour);
  const storm = spike ? chooseSlots(rng, times.length, spike.addPerHour) : undefined;
  const rates = new Float64Array(services.length);
  for (let s = 0; s < services.length; s++) rates[s] = serviceRate(plan, h, s, true, false);
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
    const inStorm = storm?.[i] === 1;
    const service = inStorm ? (spike as AnomalyPlan).service : rng.weighted(rates);
    const incident = backgroundIncident(
      rng,
      plan,
      service,
      t,
      nextId++,
      inStorm ? spike : undefined,
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

/** Marks `k` of `n` slots, drawn uniformly without replacement (all of them when k ≥ n). */
function chooseSlots(rng: Random, n: number, k: number): Uint8Array {
  const marked = new Uint8Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < Math.min(k, n); j++) {
    const r = rng.int(j, n - 1);
    const chosen = order[r] as number;
    order[r] = order[j] as number;
    order[j] = chosen;
    marked[chosen] = 1;
  }
  return marked;
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
  return drawLifecycle(plan, {
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
  return drawLifecycle(plan, {
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
