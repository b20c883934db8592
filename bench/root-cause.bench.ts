/**
 * Evaluation of the root-cause localisation (issue 17): seeded synthetic background incidents
 * (`@incident-insights/engine/synth`, planted anomalies and recurring problems off) with causes
 * planted by hand, and `explainRootCauses` run on the anomaly each plant makes, all five of a seed
 * in one call as a run would:
 * - a storm confined to one service (clones of that service's own incidents in one hour);
 * - a storm of one category within a service;
 * - a team's acknowledgement times × 5 over the last 3 days (a BEHAVIORAL MTTA anomaly);
 * - a storm across two services of different teams after a deploy (a planted change incident,
 *   tagged `deploy`, 10 to 120 minutes before);
 * - and, for precision, a storm with no single cause (clones of incidents of any service).
 * A plant is found when the top-ranked explanation is the planted slice (for the category within a
 * service: one of the two conditions on top and the other among the ranked ones); the deploy is
 * named when it is the change the text cites.
 * With `--perf DIR`, also times a 24-hour anomaly run on the prepared 1 M database in DIR (see
 * bench/prepared-database.ts; made by bench/jobs-under-load.ts) and `explainRootCauses` on what
 * it stored.
 *
 *   npx tsx --conditions=@incident-insights/source bench/root-cause.bench.ts [seeds=25] [--perf /tmp/jobs-under-load/1000000-90 [--hours 24]]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import type { AnomalyToExplain } from '../packages/engine/src/anomaly/explain/explain-types.ts';
import { assessImpacts } from '../packages/engine/src/anomaly/explain/impact.ts';
import { explainRootCauses } from '../packages/engine/src/anomaly/explain/root-cause.ts';
import { mulberry32 } from '../packages/engine/src/random/mulberry32.ts';
import type { Row } from '../packages/engine/src/store/database.ts';
import { freshCopy, preparedDatabase } from './prepared-database.ts';
import { timed } from './timer.ts';

const seeds = Number(process.argv[2] ?? 25);
const perfAt = process.argv.indexOf('--perf');
const perfDir = perfAt > 0 ? process.argv[perfAt + 1] : undefined;
const hoursAt = process.argv.indexOf('--hours');
const runHours = hoursAt > 0 ? Number(process.argv[hoursAt + 1]) : 24;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const days = 40;
const end = new Date('2025-01-01T00:00:00Z');

type Kind =
  | 'service storm'
  | 'category in service'
  | 'team MTTA shift'
  | 'two services after deploy'
  | 'spread storm';
interface Plant {
  readonly kind: Kind;
  readonly anomaly: AnomalyToExplain;
  readonly truth: { dimension: string; values: string[] }[];
  readonly deployId?: string;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** Inserts `n` clones of history incidents matching `where` into the hour at `start`. */
async function clone(
  engine: Engine,
  where: string,
  params: Record<string, string>,
  start: number,
  n: number,
  seed: number,
) {
  const db = internalContext(engine).db;
  await db.run(
    `INSERT INTO incidents BY NAME
     SELECT * REPLACE (uuid() AS id, 'PLANT-' || uuid()::VARCHAR AS external_id,
       $start::TIMESTAMP + to_milliseconds((hash(external_id || $salt) % 3600000)::BIGINT) AS created_at,
       $start::TIMESTAMP + to_milliseconds((hash(external_id || $salt) % 3600000)::BIGINT) + (acknowledged_at - created_at) AS acknowledged_at,
       $start::TIMESTAMP + to_milliseconds((hash(external_id || $salt) % 3600000)::BIGINT) + (resolved_at - created_at) AS resolved_at,
       $start::TIMESTAMP + to_milliseconds((hash(external_id || $salt) % 3600000)::BIGINT) + (closed_at - created_at) AS closed_at)
     FROM (SELECT * FROM incidents WHERE created_at < $start::TIMESTAMP - INTERVAL 1 DAY AND ${where}
           ORDER BY hash(external_id || $salt) LIMIT ${n})`,
    { ...params, start: new Date(start).toISOString(), salt: String(seed) },
  );
}

function storm(index: number, seriesKey: string, start: number, services: string[]): AnomalyToExplain {
  return {
    index,
    anomalyType: 'STATISTICAL',
    seriesKey,
    memberSeries: [seriesKey],
    windowStart: start,
    windowEnd: start + hourMs,
    relatedIncidents: [],
    affectedServices: services,
    affectedMetrics: ['INCIDENT_COUNT'],
    // As a run records it: the series' slice (service, or all incidents).
    metadata:
      services.length === 1
        ? { slice: 'service', slice_value: services[0] }
        : { slice: 'all', slice_value: null },
  };
}

async function plantSeed(engine: Engine, seed: number): Promise<Plant[]> {
  const random = mulberry32(seed * 7919 + 17);
  const db = internalContext(engine).db;
  const rows = await db.all(
    `SELECT service, team, category, count(*)::INTEGER AS n FROM incidents GROUP BY ALL HAVING n >= 30 ORDER BY ALL`,
  );
  const servicesOf = [...new Set(rows.map((r) => String(r['service'])))];
  const teamOf = new Map(rows.map((r) => [String(r['service']), String(r['team'])]));
  const hour = (day: number) => end.getTime() - day * dayMs + int(random, 8, 20) * hourMs;
  const plants: Plant[] = [];

  const s = pick(random, servicesOf);
  const t1 = hour(10);
  await clone(engine, 'service = $s', { s }, t1, int(random, 15, 40), seed);
  plants.push({
    kind: 'service storm',
    anomaly: storm(0, `incident_count:hour:service=${s}`, t1, [s]),
    truth: [{ dimension: 'service', values: [s] }],
  });

  const pair = pick(random, rows);
  const [ps, pc] = [String(pair['service']), String(pair['category'])];
  const t2 = hour(8);
  await clone(engine, 'service = $s AND category = $c', { s: ps, c: pc }, t2, int(random, 15, 40), seed + 1);
  plants.push({
    kind: 'category in service',
    anomaly: storm(1, `incident_count:hour:service=${ps}`, t2, [ps]),
    truth: [
      { dimension: 'service', values: [ps] },
      { dimension: 'category', values: [pc] },
    ],
  });

  const a = pick(random, servicesOf);
  const b = pick(
    random,
    servicesOf.filter((x) => teamOf.get(x) !== teamOf.get(a)),
  );
  const t3 = hour(6);
  await clone(engine, 'service = $s', { s: a }, t3, int(random, 10, 25), seed + 2);
  await clone(engine, 'service = $s', { s: b }, t3, int(random, 10, 25), seed + 3);
  const deployId = crypto.randomUUID();
  const lead = int(random, 10, 120);
  await db.run(
    `INSERT INTO incidents (id, external_id, title, category, subcategory, severity, priority, status, service, team,
       created_at, escalation_level, reopen_count, reassignment_count, tags, ingested_at, updated_at)
     VALUES ($id::UUID, 'PLANT-DEPLOY', $title, 'Change', 'Deployment', 'LOW', 'P4', 'CLOSED', $service, $team,
       $at::TIMESTAMP, 0, 0, 0, ['deploy'], $at::TIMESTAMP, $at::TIMESTAMP)`,
    {
      id: deployId,
      title: `Deploy ${a} release`,
      service: a,
      team: teamOf.get(a) ?? null,
      at: new Date(t3 - lead * 60_000).toISOString(),
    },
  );
  plants.push({
    kind: 'two services after deploy',
    anomaly: storm(2, `incident_count:hour:service=${a}`, t3, [a]),
    truth: [{ dimension: 'service', values: [a, b].sort() }],
    deployId,
  });

  const t4 = hour(4);
  await clone(engine, 'true', {}, t4, int(random, 30, 60), seed + 4);
  plants.push({ kind: 'spread storm', anomaly: storm(3, 'incident_count:hour:all', t4, []), truth: [] });

  const team = pick(random, [...new Set(teamOf.values())]);
  const ws = end.getTime() - 3 * dayMs;
  await db.run(
    `UPDATE incidents SET acknowledged_at = created_at + (acknowledged_at - created_at) * 5
     WHERE team = $team AND created_at >= $ws::TIMESTAMP AND acknowledged_at IS NOT NULL`,
    { team, ws: new Date(ws).toISOString() },
  );
  const stats = await db.one(
    `SELECT median(d) FILTER (recent) AS observed, median(d) FILTER (NOT recent) AS expected,
       quantile_cont(d, 0.1) FILTER (NOT recent) AS lower, quantile_cont(d, 0.9) FILTER (NOT recent) AS upper,
       count(*) FILTER (NOT recent)::INTEGER AS baseline, count(*) FILTER (recent)::INTEGER AS recent
     FROM (SELECT (epoch(acknowledged_at) - epoch(created_at)) / 60.0 AS d, created_at >= $ws::TIMESTAMP AS recent
           FROM incidents WHERE team = $team AND acknowledged_at IS NOT NULL)`,
    { team, ws: new Date(ws).toISOString() },
  );
  plants.push({
    kind: 'team MTTA shift',
    anomaly: {
      index: 4,
      anomalyType: 'BEHAVIORAL',
      seriesKey: `mtta_distribution:team=${team}`,
      memberSeries: [`mtta_distribution:team=${team}`],
      windowStart: ws,
      windowEnd: end.getTime(),
      relatedIncidents: [],
      affectedServices: [],
      affectedMetrics: ['MTTA'],
      metadata: {
        method: 'ks_two_sample',
        observed: stats?.['observed'],
        expected: stats?.['expected'],
        lower: stats?.['lower'],
        upper: stats?.['upper'],
        samples: { baseline: stats?.['baseline'], recent: stats?.['recent'] },
        slice: 'team',
        slice_value: team,
      },
    },
    truth: [{ dimension: 'team', values: [team] }],
  });
  return plants;
}

type Ranked = { dimension: string; values: string[] }[];
const same = (a: { dimension: string; values: string[] }, b: { dimension: string; values: string[] }) =>
  a.dimension === b.dimension && [...a.values].sort().join('|') === [...b.values].sort().join('|');

function found(plant: Plant, ranked: Ranked): boolean {
  const top = ranked[0];
  if (!top) return false;
  if (plant.kind !== 'category in service') return same(top, plant.truth[0]!);
  // One planted condition on top, the other among the ranked explanations.
  const hit = plant.truth.findIndex((t) => same(top, t));
  return hit >= 0 && ranked.slice(1).some((r) => same(r, plant.truth[1 - hit]!));
}

/**
 * The impact of each planted storm, with its planted incidents as the related ones, against a
 * computation by hand in this file: the users summed, and per service the union of the incidents'
 * intervals [created, resolved or `to`) by sorting and merging. Returns [checked, equal].
 */
async function checkImpacts(engine: Engine, plants: readonly Plant[], to: Date): Promise<[number, number]> {
  const db = internalContext(engine).db;
  const storms: AnomalyToExplain[] = [];
  const rowsOf: Row[][] = [];
  for (const plant of plants.filter((p) => p.anomaly.anomalyType === 'STATISTICAL')) {
    const rows = await db.all(
      `SELECT id::VARCHAR AS id, service, affected_users, created_at, resolved_at FROM incidents
       WHERE external_id LIKE 'PLANT-%' AND external_id <> 'PLANT-DEPLOY' AND created_at >= $s AND created_at < $e`,
      { s: new Date(plant.anomaly.windowStart), e: new Date(plant.anomaly.windowEnd) },
    );
    storms.push({
      ...plant.anomaly,
      index: storms.length,
      relatedIncidents: rows.map((r) => String(r['id'])),
    });
    rowsOf.push(rows);
  }
  const impacts = await assessImpacts(internalContext(engine), storms, {
    from: new Date(to.getTime() - (days - 1) * dayMs),
    to,
    start: new Date(to.getTime() - dayMs),
  });
  let equal = 0;
  impacts.forEach((impact, i) => {
    const rows = rowsOf[i]!;
    const users = rows.reduce((sum, r) => sum + Number(r['affected_users'] ?? 0), 0);
    const hours = new Map<string, number>();
    for (const service of new Set(rows.map((r) => r['service']).filter((x) => x !== null))) {
      const spans = rows
        .filter((r) => r['service'] === service)
        .map((r) => {
          const start = (r['created_at'] as Date).getTime();
          const resolved = r['resolved_at'] as Date | null;
          return [start, Math.min(resolved ? resolved.getTime() : to.getTime(), to.getTime())] as const;
        })
        .filter(([a, b]) => b > a)
        .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let total = 0;
      let [open, close] = [Number.NaN, Number.NaN];
      for (const [a, b] of spans) {
        if (a <= close) close = Math.max(close, b);
        else {
          if (close > open) total += close - open;
          [open, close] = [a, b];
        }
      }
      if (close > open) total += close - open;
      hours.set(String(service), total / hourMs);
    }
    const figures = impact.evidence as {
      affected_users: number;
      downtime_by_service: { service: string; hours: number }[];
    };
    const downtimeEqual =
      figures.downtime_by_service.length === hours.size &&
      figures.downtime_by_service.every((d) => Math.abs(d.hours - (hours.get(d.service) ?? -1)) < 1e-3);
    equal += Number(figures.affected_users === users && downtimeEqual);
    impactTotals.users += users;
    impactTotals.hours += [...hours.values()].reduce((a, b) => a + b, 0);
  });
  return [impacts.length, equal];
}

const tally = new Map<Kind, { n: number; ok: number }>();
let impactChecks: [number, number] = [0, 0];
/** What the checked impacts add up to (so that an equality of zeros would show). */
const impactTotals = { users: 0, hours: 0 };
let deploys = 0;
let deploysNamed = 0;
const samples: string[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
  try {
    await loadSyntheticIncidents(engine, {
      seed,
      count: 8000,
      days,
      end,
      anomalies: false,
      recurring: false,
    });
    const plants = await plantSeed(engine, seed);
    const from = new Date(end.getTime() - (days - 1) * dayMs);
    const causes = await explainRootCauses(
      internalContext(engine),
      plants.map((p) => p.anomaly),
      { from, to: end, start: new Date(end.getTime() - dayMs) },
    );
    const [checked, equal] = await checkImpacts(engine, plants, end);
    impactChecks = [impactChecks[0] + checked, impactChecks[1] + equal];
    plants.forEach((plant, i) => {
      const evidence = causes[i]!.evidence as {
        dimensions_ranked: Ranked;
        explained: boolean;
        changes: { incident_id: string }[];
      };
      const ok =
        plant.kind === 'spread storm' ? !evidence.explained : found(plant, evidence.dimensions_ranked);
      const t = tally.get(plant.kind) ?? { n: 0, ok: 0 };
      tally.set(plant.kind, { n: t.n + 1, ok: t.ok + Number(ok) });
      if (plant.deployId) {
        deploys++;
        const named =
          evidence.changes[0]?.incident_id === plant.deployId && causes[i]!.text.includes('Deploy ');
        deploysNamed += Number(named);
      }
      if (!ok || seed === 1)
        samples.push(`seed ${seed} ${plant.kind}${ok ? '' : ' MISSED'}: ${causes[i]!.text.slice(0, 300)}`);
    });
  } finally {
    await engine.close();
  }
}
let planted = 0;
let plantedOk = 0;
for (const [kind, t] of tally) {
  console.log(`${kind}: ${t.ok}/${t.n}`);
  if (kind !== 'spread storm') {
    planted += t.n;
    plantedOk += t.ok;
  }
}
console.log(
  `planted slice top-ranked: ${plantedOk}/${planted} = ${((100 * plantedOk) / planted).toFixed(1)}%`,
);
console.log(`deploy named: ${deploysNamed}/${deploys}`);
console.log(
  `impact of the planted storms (users, downtime per service) equal to the computation by hand: ${impactChecks[1]}/${impactChecks[0]} (${impactTotals.users} users, ${impactTotals.hours.toFixed(1)} h of downtime in all)`,
);
const spread = tally.get('spread storm');
if (spread) console.log(`no-single-cause storms said to have no single slice: ${spread.ok}/${spread.n}`);
for (const line of samples) console.log(`  ${line}`);

if (perfDir) {
  const prepared = await preparedDatabase({ dir: perfDir, count: 1_000_000, days: 90, log: console.error });
  const copy = join(tmpdir(), 'root-cause-bench.duckdb');
  freshCopy(prepared.db, copy);
  const at = new Date(prepared.end);
  const engine = await openEngine({ path: copy, now: () => at });
  try {
    // The run explains its new anomalies (root cause and impact) between these two progress lines.
    let merged = 0;
    let explained = 0;
    const onProgress = (line: string) => {
      if (line.includes(' merged into ')) merged = performance.now();
      if (line.startsWith('explained ')) explained = performance.now();
    };
    const run = await timed(() => engine.anomalies.run({ end: at, windowHours: runHours, onProgress }));
    const inRun = explained > merged && merged > 0 ? explained - merged : Number.NaN;
    const stored = (await engine.anomalies.list({ pageSize: 100 })).results; // at most 100 explained
    const anomalies: AnomalyToExplain[] = stored.map((a, index) => ({
      index,
      anomalyType: a.anomaly_type,
      seriesKey: a.series_key,
      memberSeries: [a.series_key],
      windowStart: a.time_window_start.getTime(),
      windowEnd: a.time_window_end.getTime(),
      relatedIncidents: a.related_incidents,
      affectedServices: a.affected_services,
      affectedMetrics: a.affected_metrics,
      metadata: a.metadata ?? {},
    }));
    const range = { from: run.value.historyStart, to: at, start: run.value.timeWindowStart };
    const explain = await timed(() => explainRootCauses(internalContext(engine), anomalies, range));
    const impact = await timed(() => assessImpacts(internalContext(engine), anomalies, range));
    console.log(
      `1 M incidents: explanation inside the run (root cause + impact, new anomalies) ${(inRun / 1000).toFixed(2)} s = ${((100 * inRun) / (run.ms - inRun)).toFixed(1)}% on top of the rest of the run`,
    );
    console.log(
      `1 M incidents: ${runHours} h run ${(run.ms / 1000).toFixed(1)} s (${run.value.anomaliesCreated} anomalies); explainRootCauses on them ${(explain.ms / 1000).toFixed(2)} s (CPU ${(explain.cpuMs / 1000).toFixed(2)} s) = ${((100 * explain.ms) / run.ms).toFixed(1)}% of the run; assessImpacts ${(impact.ms / 1000).toFixed(2)} s (CPU ${(impact.cpuMs / 1000).toFixed(2)} s)`,
    );
  } finally {
    await engine.close();
    rmSync(copy, { force: true });
    rmSync(`${copy}.wal`, { force: true });
  }
}
