import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError, incidentInputSchema, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { Database } from '../src/store/database.ts';
import { services, teamSpeed, workMedianSeconds, workSigma } from '../src/synth/catalog.ts';
import {
  generateIncidents,
  loadSyntheticIncidents,
  type SyntheticFile,
  type SyntheticIncident,
  writeSyntheticCsv,
  writeSyntheticNdjson,
  writeSyntheticParquet,
} from '../src/synth/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hourMs = 3_600_000;

function digest(incidents: Iterable<SyntheticIncident>): string {
  const hash = createHash('sha256');
  for (const incident of incidents) hash.update(JSON.stringify(incident));
  return hash.digest('hex');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Median of a mixture of lognormals (weights, medians, common σ), by bisection on the mixture CDF. */
function mixtureMedian(parts: { weight: number; median: number }[], sigma: number): number {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  const cdf = (x: number) =>
    parts.reduce((s, p) => s + (p.weight / total) * normalCdf(Math.log(x / p.median) / sigma), 0);
  let lo = 1;
  let hi = 1e9;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (cdf(mid) < 0.5) lo = mid;
    else hi = mid;
  }
  return lo;
}

describe('the synthetic incident generator', () => {
  it('gives identical incidents for the same seed and different ones for another seed', () => {
    const a = digest(generateIncidents({ seed: 11, count: 5000 }).incidents);
    const b = digest(generateIncidents({ seed: 11, count: 5000 }).incidents);
    const c = digest(generateIncidents({ seed: 12, count: 5000 }).incidents);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    // Re-iterating the same data set regenerates the same incidents.
    const data = generateIncidents({ seed: 11, count: 5000 });
    expect(digest(data.incidents)).toBe(a);
    expect(digest(data.incidents)).toBe(a);
  });

  it('leaves open only recent incidents, as a real queue does (the demo: seed 1, 20,000 over 90 days)', () => {
    const data = generateIncidents({ seed: 1, count: 20_000 });
    const endMs = data.end.getTime();
    const dayMs = 24 * hourMs;
    let open = 0;
    let untouched = 0;
    const staleOutages: string[] = [];
    for (const i of data.incidents) {
      if (i.resolved_at) continue;
      open++;
      const age = endMs - i.created_at.getTime();
      // Never acknowledged nor resolved: only what arrived in the last 48 hours.
      if (!i.acknowledged_at && i.status === 'OPEN' && age > 2 * dayMs) {
        // Left open only because its (unacknowledged) resolution falls after the end.
        expect(i.severity === 'LOW' || i.severity === 'MEDIUM').toBe(true);
      }
      if (!i.acknowledged_at && age <= 2 * dayMs) untouched++;
      // A HIGH or CRITICAL incident open for more than a week would be a forgotten ticket: the
      // resolve time of a HIGH is lognormal with median 4 h (σ 1) × team speed ≤ 1.4, so a week is
      // beyond e^(4.9σ). Before this rule, 15 of them stayed open from as early as the first day.
      if ((i.severity === 'HIGH' || i.severity === 'CRITICAL') && age > 7 * dayMs) {
        staleOutages.push(i.external_id);
      }
    }
    expect(staleOutages).toEqual([]);
    expect(untouched).toBeGreaterThan(0);
    // Few: about 2% of incidents (LOW tickets of the last weeks, long-running ones of the last days).
    expect(open).toBeLessThan(0.03 * data.count);
  });

  it('writes exactly count incidents, SYN-1.. in created_at order, each valid for incidentInputSchema', () => {
    const data = generateIncidents({ seed: 3, count: 20_000 });
    let n = 0;
    let last = 0;
    const statuses = new Set<string>();
    for (const incident of data.incidents) {
      n++;
      expect(incident.external_id).toBe(`SYN-${n}`);
      expect(incident.created_at.getTime()).toBeGreaterThanOrEqual(last);
      last = incident.created_at.getTime();
      const parsed = incidentInputSchema.safeParse(incident);
      if (!parsed.success) throw new Error(`${incident.external_id}: ${parsed.error.message}`);
      expect(incident.created_at.getTime()).toBeGreaterThanOrEqual(data.start.getTime());
      expect(incident.created_at.getTime()).toBeLessThan(data.end.getTime());
      for (const at of [incident.acknowledged_at, incident.resolved_at, incident.closed_at]) {
        if (at) expect(at.getTime()).toBeLessThan(data.end.getTime());
      }
      statuses.add(incident.status);
    }
    expect(n).toBe(20_000);
    expect(data.count).toBe(20_000);
    // Near the window's end some incidents are still being worked on.
    expect([...statuses].sort()).toEqual([
      'ACKNOWLEDGED',
      'CLOSED',
      'IN_PROGRESS',
      'ON_HOLD',
      'OPEN',
      'RESOLVED',
    ]);
  });

  it('rejects bad options with a VALIDATION_ERROR', () => {
    expect(() => generateIncidents({ seed: 1, count: -1 })).toThrow(EngineError);
    expect(() => generateIncidents({ seed: 1, count: 1.5 })).toThrow(/count/);
    expect(() =>
      generateIncidents({ seed: 1, start: new Date('2024-02-01'), end: new Date('2024-01-01') }),
    ).toThrow(/window/);
    expect(() => generateIncidents({ seed: Number.NaN })).toThrow(/seed/);
  });

  it('has daily and weekly seasonality: weekday 09-17 runs at 4x the 00-05 rate, weekends at ~0.43x', () => {
    // Parameters (seasonality.ts): hour factor 1.0 for 09-17 and 0.25 for 00-05, so the expected
    // weekday daytime/night ratio is 1.0 / 0.25 = 4; weekends are 0.45 (Sat) and 0.4 (Sun) of weekdays,
    // so weekend/weekday daytime ≈ 0.425. About 4,000 night arrivals give the ratio ±3% (1 s.e.).
    const data = generateIncidents({ seed: 21, count: 50_000, anomalies: false, recurring: false });
    let weekdayDay = 0;
    let weekdayNight = 0;
    let weekendDay = 0;
    const hours = { weekdayDay: 0, weekdayNight: 0, weekendDay: 0 };
    for (let t = data.start.getTime(); t < data.end.getTime(); t += hourMs) {
      const d = new Date(t);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      const h = d.getUTCHours();
      if (h >= 9 && h <= 17) hours[weekend ? 'weekendDay' : 'weekdayDay']++;
      else if (h <= 5 && !weekend) hours.weekdayNight++;
    }
    for (const { created_at: at } of data.incidents) {
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
      const h = at.getUTCHours();
      if (h >= 9 && h <= 17) {
        if (weekend) weekendDay++;
        else weekdayDay++;
      } else if (h <= 5 && !weekend) weekdayNight++;
    }
    const dayNight = weekdayDay / hours.weekdayDay / (weekdayNight / hours.weekdayNight);
    const weekendWeekday = weekendDay / hours.weekendDay / (weekdayDay / hours.weekdayDay);
    expect(dayNight).toBeGreaterThan(3.6);
    expect(dayNight).toBeLessThan(4.4);
    expect(weekendWeekday).toBeGreaterThan(0.37);
    expect(weekendWeekday).toBeLessThan(0.48);
  });

  it('draws resolve times by severity: the median work time matches the lognormal model, CRITICAL far below LOW', () => {
    const data = generateIncidents({ seed: 8, count: 40_000, anomalies: false, recurring: false });
    // Leave out the last 30 days, where long incidents are still open (cut at the window's end).
    const cutoff = data.end.getTime() - 30 * 24 * hourMs;
    const work: Record<string, number[]> = { CRITICAL: [], LOW: [] };
    const teams: Record<string, Map<string, number>> = { CRITICAL: new Map(), LOW: new Map() };
    const resolve: Record<string, number[]> = { CRITICAL: [], LOW: [] };
    for (const i of data.incidents) {
      if (i.created_at.getTime() >= cutoff || !(i.severity in work) || !i.resolved_at || !i.acknowledged_at)
        continue;
      work[i.severity]?.push((i.resolved_at.getTime() - i.acknowledged_at.getTime()) / 1000);
      resolve[i.severity]?.push((i.resolved_at.getTime() - i.created_at.getTime()) / 1000);
      const byTeam = teams[i.severity] as Map<string, number>;
      byTeam.set(i.team, (byTeam.get(i.team) ?? 0) + 1);
    }
    for (const severity of ['CRITICAL', 'LOW'] as const) {
      // Expected: working time is lognormal(median = workMedianSeconds[severity] × team speed, σ = 1),
      // a mixture over the teams in their observed proportions; its median by bisection on the CDF.
      const expected = mixtureMedian(
        [...(teams[severity] as Map<string, number>)].map(([team, weight]) => ({
          weight,
          median: workMedianSeconds[severity] * (teamSpeed[team] ?? 1),
        })),
        workSigma,
      );
      const samples = work[severity] as number[];
      const observed = median(samples);
      // s.e. of the log-median ≈ 1.25 σ / √n: ~11% for CRITICAL (~110 samples: outages are 0.4% of
      // tickets), ~1% for LOW; allow 3 s.e.
      expect(Math.abs(Math.log(observed / expected))).toBeLessThan(
        (3 * 1.25 * workSigma) / Math.sqrt(samples.length),
      );
    }
    // Resolve time = acknowledge + work: CRITICAL ≈ 3 min + 45 min, LOW ≈ 1.5 h + 36 h (times team
    // speed 0.7–1.4): an outage is restored in under an hour as a rule.
    const critical = median(resolve['CRITICAL'] as number[]) / 3600;
    const low = median(resolve['LOW'] as number[]) / 3600;
    expect(critical).toBeGreaterThan(0.5);
    expect(critical).toBeLessThan(1);
    expect(low).toBeGreaterThan(25);
    expect(low).toBeLessThan(55);
    expect(low / critical).toBeGreaterThan(15);
  });

  it('correlates priority with severity: CRITICAL is mostly P1/P2, LOW mostly P4/P5', () => {
    const data = generateIncidents({ seed: 4, count: 20_000 });
    const share = (severity: string, ps: string[]) => {
      const all = [...data.incidents].filter((i) => i.severity === severity);
      return all.filter((i) => ps.includes(i.priority)).length / all.length;
    };
    // Parameters (catalog.ts priorityWeights): CRITICAL P1+P2 = 0.95; LOW P4+P5 = 0.85.
    expect(share('CRITICAL', ['P1', 'P2'])).toBeGreaterThan(0.9);
    expect(share('LOW', ['P4', 'P5'])).toBeGreaterThan(0.8);
  });
});

describe('the planted ground truth', () => {
  const data = generateIncidents({ seed: 5, count: 20_000 });
  const incidents = [...data.incidents];
  const byId = new Map(incidents.map((i) => [i.external_id, i]));
  const truth = data.truth;

  it('names only incidents that exist, with windows inside the data', () => {
    expect(truth.count).toBe(20_000);
    expect(truth.anomalies.map((a) => a.kind).sort()).toEqual(
      expect.arrayContaining(['count_spike', 'level_shift', 'mtta_shift', 'severity_mix']),
    );
    for (const a of truth.anomalies) {
      expect(a.start.getTime()).toBeGreaterThanOrEqual(data.start.getTime());
      expect(a.end.getTime()).toBeLessThanOrEqual(data.end.getTime());
      expect(a.incidentExternalIds.length).toBeGreaterThan(0);
      for (const id of a.incidentExternalIds) {
        const incident = byId.get(id);
        expect(incident).toBeDefined();
        const at = incident!.created_at.getTime();
        expect(at >= a.start.getTime() && at < a.end.getTime()).toBe(true);
        if (a.service) expect(incident!.service).toBe(a.service);
        if (a.team) expect(incident!.team).toBe(a.team);
      }
      // The ids are all the incidents of that service (team) in the window, no more, no less.
      const expected = incidents.filter(
        (i) =>
          i.created_at >= a.start &&
          i.created_at < a.end &&
          (a.kind === 'mtta_shift' ? i.team === a.team : i.service === a.service),
      );
      expect(a.incidentExternalIds).toEqual(expected.map((i) => i.external_id));
    }
  });

  it('plants count spikes that really stand out against the expected baseline', () => {
    const spikes = truth.anomalies.filter((a) => a.kind === 'count_spike');
    // 90 days → round(90 / 15) = 6 storms.
    expect(spikes.length).toBe(6);
    for (const spike of spikes) {
      const baseline = spike.expectedCount?.baseline ?? Number.NaN;
      // At least 10 extra incidents an hour on top of a baseline of about 0.1–3.
      expect(spike.incidentExternalIds.length).toBeGreaterThanOrEqual(Math.max(5, 3 * baseline));
    }
  });

  it('plants a level shift of 2.5x, an MTTA shift of 4x and a severity-mix change', () => {
    const level = truth.anomalies.find((a) => a.kind === 'level_shift')!;
    const levelRatio = level.incidentExternalIds.length / (level.expectedCount?.baseline ?? 1);
    expect(levelRatio).toBeGreaterThan(2);
    expect(levelRatio).toBeLessThan(3);

    const mtta = truth.anomalies.find((a) => a.kind === 'mtta_shift')!;
    const ackSeconds = (i: SyntheticIncident) =>
      (i.acknowledged_at!.getTime() - i.created_at.getTime()) / 1000;
    const teamAcked = incidents.filter((i) => i.team === mtta.team && i.acknowledged_at);
    const inside = teamAcked
      .filter((i) => i.created_at >= mtta.start && i.created_at < mtta.end)
      .map(ackSeconds);
    const outside = teamAcked
      .filter((i) => i.created_at < mtta.start || i.created_at >= mtta.end)
      .map(ackSeconds);
    const mttaRatio = median(inside) / median(outside);
    expect(mttaRatio).toBeGreaterThan(2.5);
    expect(mttaRatio).toBeLessThan(6);

    const mix = truth.anomalies.find((a) => a.kind === 'severity_mix')!;
    const severe = (list: SyntheticIncident[]) =>
      list.filter((i) => i.severity === 'HIGH' || i.severity === 'CRITICAL').length / list.length;
    const ofService = incidents.filter((i) => i.service === mix.service);
    const mixInside = severe(ofService.filter((i) => i.created_at >= mix.start && i.created_at < mix.end));
    const mixOutside = severe(ofService.filter((i) => i.created_at < mix.start || i.created_at >= mix.end));
    // Weights in the window: HIGH 0.4 + CRITICAL 0.35 = 0.75; the service's usual mix: at most 0.35.
    expect(mixInside).toBeGreaterThan(0.6);
    expect(mixOutside).toBeLessThan(0.4);
  });

  it('lists recurring problems whose incidents share a fingerprint and, when periodic, their period', () => {
    expect(truth.recurring.map((r) => r.fingerprint)).toEqual([
      'nightly-etl-failure',
      'weekly-backup-overrun',
      'search-health-flap',
      'notifications-oom',
      'vpn-branch-drop',
    ]);
    for (const r of truth.recurring) {
      const pattern = new RegExp(`^${r.title.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{n}', '\\d+')}$`);
      const times: number[] = [];
      for (const id of r.incidentExternalIds) {
        const incident = byId.get(id)!;
        expect(incident.title).toMatch(pattern);
        expect([incident.service, incident.category, incident.subcategory]).toEqual([
          r.service,
          r.category,
          r.subcategory,
        ]);
        times.push(incident.created_at.getTime());
      }
      if (r.periodHours !== undefined) {
        const period = r.periodHours * hourMs;
        for (let k = 1; k < times.length; k++) {
          const gap = (times[k] as number) - (times[k - 1] as number);
          // Jitter is minutes (σ ≤ 20 min): each gap is a whole number of periods ± 2 h.
          const periods = Math.round(gap / period);
          expect(periods).toBeGreaterThanOrEqual(1);
          expect(Math.abs(gap - periods * period)).toBeLessThan(2 * hourMs);
        }
        // Skips are at most 15%: at least 80% of the slots in 90 days have an occurrence.
        expect(times.length).toBeGreaterThanOrEqual(Math.floor(((90 * 24) / r.periodHours) * 0.8));
      } else {
        // Poisson with a mean gap of 60 h or 96 h: ~36 or ~22 in 90 days.
        expect(times.length).toBeGreaterThan((90 * 24) / r.meanIntervalHours / 2);
      }
    }
    expect(services.some((s) => s.name === 'reporting')).toBe(true);
  });
});

describe('the synthetic writers and loader', () => {
  it('streams 200,000 incidents to Parquet with bounded heap growth and the store types', async () => {
    const path = join(dir, 'big.parquet');
    // Live heap (after a full collection) sampled while writing: garbage not yet collected would
    // make heapUsed alone depend on when V8 chooses to collect.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let samples = 0;
    const timer = setInterval(() => {
      gc();
      samples++;
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }, 1000);
    let file: SyntheticFile;
    try {
      file = await writeSyntheticParquet(path, { seed: 9, count: 200_000 });
    } finally {
      clearInterval(timer);
    }
    expect(samples).toBeGreaterThan(1);
    // 200,000 incident objects held at once would take well over 150 MB; streaming measured ~1 MB.
    expect(peak).toBeLessThan(32 * 1024 * 1024);
    expect(file.data.count).toBe(200_000);
    const db = await Database.open(':memory:');
    try {
      const row = await db.one<{ n: bigint; ids: bigint; first: Date; tags: string[] }>(
        `SELECT count(*) AS n, count(DISTINCT external_id) AS ids, min(created_at) AS first,
           first(tags ORDER BY created_at) AS tags FROM read_parquet($path)`,
        { path },
      );
      expect(row?.n).toBe(200_000n);
      expect(row?.ids).toBe(200_000n);
      const [firstIncident] = file.data.batches(1);
      expect(row?.first).toEqual(firstIncident?.[0]?.created_at);
      expect(row?.tags).toEqual(firstIncident?.[0]?.tags);
      const types = await db.all<{ column_name: string; column_type: string }>(
        'DESCRIBE SELECT * FROM read_parquet($path)',
        { path },
      );
      const typeOf = Object.fromEntries(types.map((t) => [t.column_name, t.column_type]));
      expect(typeOf).toMatchObject({
        created_at: 'TIMESTAMP',
        escalation_level: 'INTEGER',
        tags: 'VARCHAR[]',
      });
    } finally {
      await db.close();
    }
  });

  it('writes CSV, NDJSON and Parquet that ingest to the same incidents as the generator', async () => {
    const options = { seed: 13, count: 3000 };
    const expected = [...generateIncidents(options).incidents];
    for (const write of [writeSyntheticCsv, writeSyntheticNdjson, writeSyntheticParquet]) {
      const file = await write(join(dir, `small-${write.name}.data`), options);
      const engine = await openEngine({ path: ':memory:' });
      try {
        const format = file.format;
        const report = await engine.incidents.ingest({ path: file.path, format });
        expect(report.inserted).toBe(3000);
        const rows = await internalContext(engine).db.all<{
          external_id: string;
          created_at: Date;
          resolved_at: Date | null;
          tags: string[];
        }>(
          "SELECT external_id, created_at, resolved_at, tags FROM incidents WHERE external_id IN ('SYN-1', 'SYN-1500', 'SYN-3000') ORDER BY created_at",
        );
        for (const row of rows) {
          const original = expected[Number(row.external_id.slice(4)) - 1]!;
          expect(row.created_at).toEqual(original.created_at);
          expect(row.resolved_at).toEqual(original.resolved_at);
          expect(row.tags).toEqual(original.tags);
        }
      } finally {
        await engine.close();
      }
    }
  });

  it('loads into the store through ingestion, ending at the engine clock, idempotently', async () => {
    const now = new Date('2026-03-10T12:34:56Z');
    const engine = await openEngine({ path: ':memory:', now: () => now });
    try {
      const first = await loadSyntheticIncidents(engine, { seed: 2, count: 2500 });
      expect(first.report.inserted).toBe(2500);
      expect(first.data.end.toISOString()).toBe('2026-03-10T12:00:00.000Z');
      const second = await loadSyntheticIncidents(engine, { seed: 2, count: 2500 });
      expect(second.report.updated).toBe(2500);
      expect(await engine.incidents.count()).toBe(2500);
      const last = await internalContext(engine).db.one<{ latest: Date }>(
        'SELECT max(created_at) AS latest FROM incidents',
      );
      expect(last!.latest.getTime()).toBeLessThan(now.getTime());
    } finally {
      await engine.close();
    }
  });
});
