import { EngineError } from '../errors.ts';
import { services } from './catalog.ts';
import { mixSeed, Random } from './random.ts';
import { recurringProblems, scheduleOccurrences } from './recurring.ts';
import { seasonalFactor } from './seasonality.ts';
import { defaultSyntheticEnd, type PlantedAnomalyKind, type SyntheticOptions } from './types.ts';

const hourMs = 3_600_000;

/** One planted anomaly in hour indexes of the plan. */
export interface AnomalyPlan {
  readonly kind: PlantedAnomalyKind;
  /** Index into `services`, or -1. */
  readonly service: number;
  readonly team: string | null;
  /** First hour index, inclusive. */
  readonly startHour: number;
  /** Last hour index, exclusive. */
  readonly endHour: number;
  readonly factor: number;
  /** Extra incidents an hour (`count_spike`). */
  readonly addPerHour: number;
  /** Symptom template of storm incidents (`count_spike`). */
  readonly symptom: number;
  readonly severityWeights?: readonly [number, number, number, number];
}

/** One occurrence of a recurring problem. */
interface Occurrence {
  readonly at: number;
  readonly problem: number;
}

/**
 * Everything decided before the first incident is written: the window, the per-hour arrival
 * counts (so ids are known per hour and any hour can be generated on its own), the recurring
 * occurrences and the anomalies. Memory O(hours + occurrences).
 */
export interface SynthPlan {
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly hours: number;
  /** Background incidents an hour at seasonal factor 1, for a service share of 1. */
  readonly scale: number;
  /** Background incidents of each hour. */
  readonly counts: Int32Array;
  /** `offsets[h]`: incidents before hour h (ids of hour h start at offsets[h] + 1); length hours + 1. */
  readonly offsets: Float64Array;
  readonly occurrences: readonly (readonly number[])[];
  readonly occurrencesByHour: ReadonlyMap<number, readonly Occurrence[]>;
  readonly anomalies: readonly AnomalyPlan[];
  readonly count: number;
}

/** Default number of incidents. */
const defaultSyntheticCount = 20_000;
/** Fewest background incidents for which anomalies are planted (fewer would drown them in noise or swamp the data). */
const minVolumeForAnomalies = 2_000;

/**
 * Resolves the options and draws the plan. Cost O(hours + |count − expected|·hours) for the exact
 * count adjustment (a few thousand hours at most in practice).
 *
 * @throws EngineError VALIDATION_ERROR for a bad seed, count, rate or window.
 */
export function makePlan(options: SyntheticOptions): SynthPlan {
  const { startMs, endMs } = resolveWindow(options);
  if (!Number.isFinite(options.seed)) throw invalid('seed must be a finite number');
  if (options.count !== undefined && !(Number.isSafeInteger(options.count) && options.count >= 0)) {
    throw invalid('count must be a non-negative integer');
  }
  if (options.ratePerDay !== undefined && !(options.ratePerDay >= 0 && Number.isFinite(options.ratePerDay))) {
    throw invalid('ratePerDay must be a non-negative number');
  }
  const seed = mixSeed(options.seed);
  const hours = Math.round((endMs - startMs) / hourMs);
  const days = hours / 24;
  const countMode = options.count !== undefined || options.ratePerDay === undefined;
  const count = options.count ?? defaultSyntheticCount;

  let occurrences: number[][] = recurringProblems.map(() => []);
  if (options.recurring !== false) {
    occurrences = recurringProblems.map((p, i) => scheduleOccurrences(p, i, seed, startMs, endMs));
    const planted = occurrences.reduce((n, o) => n + o.length, 0);
    if (countMode && planted > count / 4) occurrences = recurringProblems.map(() => []);
  }
  const recurringTotal = occurrences.reduce((n, o) => n + o.length, 0);

  const base = new Float64Array(hours);
  let baseSum = 0;
  for (let h = 0; h < hours; h++) {
    base[h] = seasonalFactor(startMs + h * hourMs);
    baseSum += base[h] as number;
  }
  const background = countMode ? count - recurringTotal : ((options.ratePerDay ?? 0) * hours) / 24;
  const rng = new Random(mixSeed(seed, 0x91a7));
  const anomalies =
    options.anomalies !== false && background >= minVolumeForAnomalies
      ? planAnomalies(rng, startMs, hours, days, background / hours)
      : [];

  // The level shift multiplies one service's rate; the spikes add incidents on top.
  let weightedBase = 0;
  const levelShift = anomalies.find((a) => a.kind === 'level_shift');
  for (let h = 0; h < hours; h++) {
    let m = 1;
    if (levelShift && h >= levelShift.startHour && h < levelShift.endHour) {
      m += (levelShift.factor - 1) * (services[levelShift.service]?.share ?? 0);
    }
    weightedBase += (base[h] as number) * m;
  }
  let spikeTotal = 0;
  for (const a of anomalies)
    if (a.kind === 'count_spike') spikeTotal += a.addPerHour * (a.endHour - a.startHour);
  const scale = countMode
    ? weightedBase > 0
      ? Math.max(0, background - spikeTotal) / weightedBase
      : 0
    : ((options.ratePerDay ?? 0) * hours) / 24 / baseSum;

  const plan = { seed, startMs, endMs, hours, scale, anomalies };
  const counts = new Int32Array(hours);
  const rates = new Float64Array(hours);
  const countRng = new Random(mixSeed(seed, 0xc0c0));
  let drawn = 0;
  for (let h = 0; h < hours; h++) {
    rates[h] = hourRate(plan, h);
    counts[h] = countRng.poisson(rates[h] as number);
    drawn += counts[h] as number;
  }
  if (countMode) adjustToTotal(counts, rates, drawn, count - recurringTotal, countRng);

  const occurrencesByHour = new Map<number, Occurrence[]>();
  occurrences.forEach((times, problem) => {
    for (const at of times) {
      const h = Math.floor((at - startMs) / hourMs);
      let list = occurrencesByHour.get(h);
      if (!list) {
        list = [];
        occurrencesByHour.set(h, list);
      }
      list.push({ at, problem });
    }
  });
  for (const list of occurrencesByHour.values()) list.sort((a, b) => a.at - b.at || a.problem - b.problem);
  const offsets = new Float64Array(hours + 1);
  for (let h = 0; h < hours; h++) {
    offsets[h + 1] = (offsets[h] as number) + (counts[h] as number) + (occurrencesByHour.get(h)?.length ?? 0);
  }
  return {
    ...plan,
    counts,
    offsets,
    occurrences,
    occurrencesByHour,
    count: offsets[hours] as number,
  };
}

/**
 * Expected background arrivals of `service` in hour `h`: scale × seasonal factor × share, times a
 * level shift's factor (`withAnomalies`), plus a spike's extra incidents (`withSpikes`, by default
 * as `withAnomalies`).
 */
export function serviceRate(
  plan: Pick<SynthPlan, 'startMs' | 'scale' | 'anomalies'>,
  h: number,
  service: number,
  withAnomalies = true,
  withSpikes = withAnomalies,
): number {
  let rate = plan.scale * seasonalFactor(plan.startMs + h * hourMs) * (services[service]?.share ?? 0);
  if (!withAnomalies) return rate;
  for (const a of plan.anomalies) {
    if (a.service !== service || h < a.startHour || h >= a.endHour) continue;
    if (a.kind === 'level_shift') rate *= a.factor;
  }
  if (!withSpikes) return rate;
  for (const a of plan.anomalies) {
    if (a.service !== service || h < a.startHour || h >= a.endHour) continue;
    if (a.kind === 'count_spike') rate += a.addPerHour;
  }
  return rate;
}

function hourRate(plan: Pick<SynthPlan, 'startMs' | 'scale' | 'anomalies'>, h: number): number {
  let total = 0;
  for (let s = 0; s < services.length; s++) total += serviceRate(plan, h, s);
  return total;
}

/**
 * Moves a Poisson draw of hourly counts to an exact total: adds arrivals to hours drawn in
 * proportion to their rates, or removes them from hours drawn in proportion to their counts.
 */
function adjustToTotal(counts: Int32Array, rates: Float64Array, drawn: number, target: number, rng: Random) {
  const hours = counts.length;
  if (hours === 0) return;
  if (target > drawn) {
    const cumulative = new Float64Array(hours);
    let sum = 0;
    for (let h = 0; h < hours; h++) cumulative[h] = sum += rates[h] as number;
    for (let k = drawn; k < target; k++) {
      const u = rng.float() * sum;
      let lo = 0;
      let hi = hours - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) > u) hi = mid;
        else lo = mid + 1;
      }
      counts[lo] = (counts[lo] as number) + 1;
    }
  } else {
    for (let total = drawn; total > target; total--) {
      let u = Math.floor(rng.float() * total);
      let h = 0;
      while (u >= (counts[h] as number)) u -= counts[h++] as number;
      counts[h] = (counts[h] as number) - 1;
    }
  }
}

function planAnomalies(rng: Random, startMs: number, hours: number, days: number, meanHourly: number) {
  const anomalies: AnomalyPlan[] = [];
  const firstMidnight = (24 - new Date(startMs).getUTCHours()) % 24;
  const fullDays = Math.floor((hours - firstMidnight) / 24);
  // Services without a planted recurring problem, so the anomalies do not mix with it.
  const quiet = services
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !recurringProblems.some((p) => p.service === s.name))
    .map(({ i }) => i);
  const window = (from: number, spread: number, length: number) => {
    const startDay = Math.min(Math.floor(days * from + rng.float() * days * spread), fullDays - length);
    const startHour = firstMidnight + 24 * Math.max(0, startDay);
    return { startHour, endHour: startHour + 24 * length };
  };
  if (days >= 14) {
    const levelService = quiet.splice(rng.int(0, quiet.length - 1), 1)[0] as number;
    const mixService = quiet.splice(rng.int(0, quiet.length - 1), 1)[0] as number;
    const team = rng.pick(['platform', 'payments', 'identity', 'dba', 'network-ops', 'infrastructure']);
    const shortLength = Math.max(1, Math.min(7, Math.floor(days / 8)));
    anomalies.push({
      kind: 'mtta_shift',
      service: -1,
      team,
      ...window(0.2, 0.1, shortLength),
      factor: 4,
      addPerHour: 0,
      symptom: -1,
    });
    anomalies.push({
      kind: 'severity_mix',
      service: mixService,
      team: null,
      ...window(0.45, 0.05, shortLength),
      factor: 1,
      addPerHour: 0,
      symptom: -1,
      severityWeights: [0.05, 0.2, 0.4, 0.35],
    });
    anomalies.push({
      kind: 'level_shift',
      service: levelService,
      team: null,
      ...window(0.65, 0.1, Math.max(2, Math.min(14, Math.floor(days / 6)))),
      factor: 2.5,
      addPerHour: 0,
      symptom: -1,
    });
  }
  if (days >= 2) {
    const taken = new Set(anomalies.map((a) => a.service));
    const candidates = services.map((_, i) => i).filter((i) => !taken.has(i));
    const spikes = Math.max(1, Math.round(days / 15));
    const margin = hours >= 72 ? 24 : 0;
    for (let k = 0, tries = 0; k < spikes && tries < 100; tries++) {
      const duration = rng.int(1, 3);
      const startHour = rng.int(margin, hours - margin - duration);
      const service = rng.pick(candidates);
      const overlaps = anomalies.some(
        (a) =>
          a.kind === 'count_spike' && startHour < a.endHour + 24 && a.startHour < startHour + duration + 24,
      );
      if (overlaps) continue;
      const profile = services[service];
      if (!profile) continue;
      const average = meanHourly * profile.share;
      const addPerHour = Math.max(10, Math.round(10 * average));
      anomalies.push({
        kind: 'count_spike',
        service,
        team: null,
        startHour,
        endHour: startHour + duration,
        factor: Math.round((addPerHour / average) * 10) / 10,
        addPerHour,
        symptom: rng.pick(profile.symptoms),
      });
      k++;
    }
  }
  return anomalies.sort((a, b) => a.startHour - b.startHour);
}

function resolveWindow(options: SyntheticOptions): { startMs: number; endMs: number } {
  const days = options.days ?? 90;
  if (!(days > 0 && Number.isFinite(days))) throw invalid('days must be a positive number');
  const span = Math.round(days * 24) * hourMs;
  const floorHour = (d: Date) => {
    const ms = d.getTime();
    if (Number.isNaN(ms)) throw invalid('start and end must be valid dates');
    return Math.floor(ms / hourMs) * hourMs;
  };
  let startMs: number;
  let endMs: number;
  if (options.start && options.end) {
    startMs = floorHour(options.start);
    endMs = floorHour(options.end);
  } else if (options.start) {
    startMs = floorHour(options.start);
    endMs = startMs + span;
  } else {
    endMs = floorHour(options.end ?? defaultSyntheticEnd);
    startMs = endMs - span;
  }
  if (endMs - startMs < hourMs) throw invalid('the window must span at least one hour (end after start)');
  return { startMs, endMs };
}

function invalid(message: string): EngineError {
  return new EngineError('VALIDATION_ERROR', `synthetic data: ${message}`);
}
