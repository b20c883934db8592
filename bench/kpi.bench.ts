/**
 * KPI benchmark: every system metric type with every aggregation over N synthetic incidents (a
 * whole year, one measurement window), four ways in one run on the same data:
 *  - engine cold: `engine.kpis.calculateAll({ force: true })`, exact SQL in DuckDB (full recompute);
 *  - engine warm: `engine.kpis.summary()` from incremental hourly rollups (after one build);
 *  - pandas: the same definitions on a CSV export of the same incidents (bench/kpi-pandas.py);
 *  - plain JS: arrays of objects with simple-statistics (only up to JS_MAX_ROWS, default 1 M).
 * Usage: npx tsx --conditions=@incident-insights/source bench/kpi.bench.ts [N ...] (default 1000000 10000000);
 * COLD_RUNS (3) and WARM_RUNS (20) set the repetitions, JS_MAX_ROWS (1000000) the plain-JS limit;
 * WARM_ONLY=1 measures only the rollup build and the warm summaries (no cold runs, pandas or plain JS).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type AggregationType,
  aggregationTypes,
  defaultOpenOutageHorizonHours,
  type MetricType,
  metricTypes,
  openEngine,
} from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import * as ss from 'simple-statistics';
import { timed } from './timer.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (sizes.length === 0) sizes.push(1_000_000, 10_000_000);
const jsMaxRows = Number(process.env['JS_MAX_ROWS'] ?? 1_000_000);
// Repetitions (COLD_RUNS, WARM_RUNS); a 10 M run on 2 shared cores takes too long with the defaults.
const coldRuns = Number(process.env['COLD_RUNS'] ?? 3);
const warmRuns = Number(process.env['WARM_RUNS'] ?? 20);
const warmOnly = process.env['WARM_ONLY'] === '1';
const start = new Date('2024-01-01T00:00:00Z');
const end = new Date('2025-01-01T00:00:00Z');
const windowHours = (end.getTime() - start.getTime()) / 3_600_000; // 8784: 2024 is a leap year
const types = metricTypes.filter((t) => t !== 'CUSTOM') as Exclude<MetricType, 'CUSTOM'>[];
const pandasScript = resolve(import.meta.dirname, 'kpi-pandas.py');
// An open incident counts as an outage for at most this long after its creation (the engine's default).
const openHorizonMs = defaultOpenOutageHorizonHours * 3_600_000;

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

/** N incidents over 2024 from DuckDB's range(): 20 services, hash-derived categories and durations. */
function generateSql(n: number): string {
  const u = (h: string) => `((${h} % 1000003) + 1) / 1000004.0`;
  return `INSERT INTO incidents
    SELECT uuid(), 'syn-' || i, 'synthetic incident', NULL,
      ['Infrastructure','Application','Network','Database','Security','Hardware'][1 + CAST(h1 % 6 AS INTEGER)], NULL,
      ['LOW','MEDIUM','HIGH','CRITICAL'][1 + CAST(h2 % 4 AS INTEGER)],
      ['P1','P2','P3','P4','P5'][1 + CAST(h3 % 5 AS INTEGER)],
      CASE WHEN h3 % 50 = 0 THEN 'OPEN' ELSE 'RESOLVED' END,
      'svc-' || (h1 % 20), 'team-' || (h2 % 8), created,
      CASE WHEN h2 % 20 = 0 THEN NULL ELSE created + to_microseconds(CAST(-ln(${u('h1 // 7')}) * 900e6 AS BIGINT)) END,
      CASE WHEN h3 % 50 = 0 THEN NULL ELSE created + to_microseconds(CAST(-ln(${u('h2 // 11')}) * 3600e6 AS BIGINT)) END,
      NULL, CASE WHEN h3 % 10 = 1 THEN 1 ELSE 0 END, 0, CAST(h2 % 3 AS INTEGER), NULL, []::VARCHAR[],
      TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01'
    FROM (SELECT i, hash(i) AS h1, hash(i * 7919 + 1) AS h2, hash(i * 104729 + 3) AS h3,
            TIMESTAMP '2024-01-01' + to_microseconds(CAST(i * (${windowHours} * 3600e6 / ${n}) AS BIGINT)) AS created
          FROM range(${n}) AS t(i))`;
}

interface JsRow {
  service: string;
  created: number;
  ack: number | null;
  resolved: number | null;
  escalated: boolean;
}

function jsAggregate(xs: number[]): Record<AggregationType, number> {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    AVERAGE: ss.mean(xs),
    MEDIAN: ss.medianSorted(sorted),
    MIN: ss.min(xs),
    MAX: ss.max(xs),
    SUM: ss.sum(xs),
    COUNT: xs.length,
    PERCENTILE_95: ss.quantileSorted(sorted, 0.95),
    PERCENTILE_99: ss.quantileSorted(sorted, 0.99),
  };
}

/** The plain-JS baseline: the same definitions over an array of objects. */
function jsBaseline(rows: JsRow[]): Record<string, Record<AggregationType, number>> {
  const s0 = start.getTime();
  const e0 = end.getTime();
  const inWindow = rows.filter((r) => r.created >= s0 && r.created < e0);
  const out: Record<string, Record<AggregationType, number>> = {};
  out['MTTA'] = jsAggregate(
    inWindow.filter((r) => r.ack !== null).map((r) => ((r.ack as number) - r.created) / 60_000),
  );
  out['MTTR'] = jsAggregate(
    inWindow.filter((r) => r.resolved !== null).map((r) => ((r.resolved as number) - r.created) / 3_600_000),
  );
  const n = new Array<number>(windowHours).fill(0);
  const resolved = new Array<number>(windowHours).fill(0);
  const escalated = new Array<number>(windowHours).fill(0);
  for (const r of inWindow) {
    const h = Math.floor((r.created - s0) / 3_600_000);
    n[h] = (n[h] ?? 0) + 1;
    if (r.resolved !== null) resolved[h] = (resolved[h] ?? 0) + 1;
    if (r.escalated) escalated[h] = (escalated[h] ?? 0) + 1;
  }
  out['INCIDENT_COUNT'] = jsAggregate(n);
  for (const [name, k] of [
    ['RESOLUTION_RATE', resolved],
    ['ESCALATION_RATE', escalated],
  ] as const) {
    const rates = n.flatMap((c, h) => (c > 0 ? [(100 * (k[h] ?? 0)) / c] : []));
    out[name] = { ...jsAggregate(rates), AVERAGE: (100 * ss.sum(k)) / ss.sum(n) };
  }
  const byService = new Map<string, JsRow[]>();
  for (const r of rows) {
    if (r.created >= e0) continue;
    const list = byService.get(r.service) ?? [];
    list.push(r);
    byService.set(r.service, list);
  }
  const mtbf: number[] = [];
  const mtbsi: number[] = [];
  const availability: number[] = [];
  for (const list of byService.values()) {
    list.sort((a, b) => a.created - b.created || (a.resolved ?? Infinity) - (b.resolved ?? Infinity));
    let island: { s: number; e: number } | null = null;
    let previous: { s: number; e: number } | null = null;
    let down = 0;
    const close = (isl: { s: number; e: number }) => {
      if (previous && isl.s >= s0) {
        mtbf.push((isl.s - previous.e) / 3_600_000);
        mtbsi.push((isl.s - previous.s) / 3_600_000);
      }
      down += Math.max(0, Math.min(isl.e, e0) - Math.max(isl.s, s0));
      previous = isl;
    };
    for (const r of list) {
      const e = r.resolved ?? r.created + openHorizonMs;
      if (island && r.created <= island.e) island.e = Math.max(island.e, e);
      else {
        if (island) close(island);
        island = { s: r.created, e };
      }
    }
    if (island) close(island);
    availability.push((100 * (e0 - s0 - down)) / (e0 - s0));
  }
  out['MTBF'] = jsAggregate(mtbf);
  out['MTBSI'] = jsAggregate(mtbsi);
  out['AVAILABILITY'] = jsAggregate(availability);
  return out;
}

const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  console.log(line);
};
log(
  `Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the start.`,
);
log('');
log(
  '| incidents | engine cold (full recompute) | engine warm summary p50 / p95 (64 metrics) | warm summary p50 / p95 (8 system metrics) | rollup build | pandas compute (read) | plain JS (load) | cold vs pandas | peak RSS |',
);
log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');

for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'insights-kpi-bench-'));
  try {
    const engine = await openEngine({ path: join(dir, 'bench.duckdb'), now: () => end });
    const gen = await timed(() => internalContext(engine).db.run(generateSql(n)));
    console.error(`generated ${n} incidents in ${(gen.ms / 1000).toFixed(1)} s`);
    const ids: string[] = [];
    for (const metric_type of types) {
      for (const aggregation_type of aggregationTypes) {
        const m = await engine.kpis.create({
          name: `${metric_type} ${aggregation_type}`,
          metric_type,
          aggregation_type,
          time_window_hours: windowHours,
        });
        ids.push(m.id);
      }
    }
    const cold: number[] = [];
    const coldCpu: number[] = [];
    let engineValues = new Map<string, string | null>();
    for (let run = 0; run < (warmOnly ? 0 : coldRuns); run++) {
      const r = await timed(() => engine.kpis.calculateAll({ end, force: true }));
      cold.push(r.ms);
      coldCpu.push(r.cpuMs);
      engineValues = new Map(r.value.map((x) => [x.measurement.metric_name, x.measurement.value]));
    }
    const build = await timed(() => engine.kpis.summary());
    console.error(`${n}: peak RSS ${rssMb()} MB after the rollup build`);
    const warm: number[] = [];
    for (let run = 0; run < warmRuns; run++) warm.push((await timed(() => engine.kpis.summary())).ms);
    for (const id of ids) await engine.kpis.update(id, { is_active: false });
    await engine.kpis.summary();
    const warmSystem: number[] = [];
    for (let run = 0; run < Math.max(warmRuns, 10); run++)
      warmSystem.push((await timed(() => engine.kpis.summary())).ms);
    const engineRss = rssMb();
    if (warmOnly) {
      // A write that changes nothing still moves the write generation: the summary then pays its one
      // freshness query (incidents row count and newest updated_at) but rebuilds nothing.
      const afterWrite: number[] = [];
      for (let run = 0; run < Math.max(warmRuns, 10); run++) {
        await internalContext(engine).db.run('SELECT 1');
        afterWrite.push((await timed(() => engine.kpis.summary())).ms);
      }
      console.error(
        `${n}: warm summary after a write that changed nothing (8 system metrics): p50 ${pct(afterWrite, 0.5).toFixed(1)} / p95 ${pct(afterWrite, 0.95).toFixed(1)} ms`,
      );
      log(
        `| ${n.toLocaleString('en')} | - | ${pct(warm, 0.5).toFixed(0)} / ${pct(warm, 0.95).toFixed(0)} ms | ` +
          `${pct(warmSystem, 0.5).toFixed(1)} / ${pct(warmSystem, 0.95).toFixed(1)} ms | ${(build.ms / 1000).toFixed(1)} s | - | - | - | ${engineRss} MB |`,
      );
      await engine.close();
      continue;
    }

    // Debian's pandas has no Parquet engine here (no pyarrow), so pandas reads a CSV export; its
    // read time is reported apart and the comparison is on compute time.
    const exported = join(dir, 'incidents.csv');
    await internalContext(engine).db.run(
      `COPY (SELECT service, created_at, acknowledged_at, resolved_at, escalation_level FROM incidents) TO '${exported}' (FORMAT csv, HEADER)`,
    );
    const pandas = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          pandasScript,
          exported,
          start.toISOString().slice(0, 19),
          end.toISOString().slice(0, 19),
          String(defaultOpenOutageHorizonHours),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      ),
    ) as { read_s: number; compute_s: number; values: Record<string, Record<string, number>> };
    // The same numbers both ways (spot check of every type's mean and p95; sketches are not involved).
    for (const type of types) {
      for (const agg of ['AVERAGE', 'PERCENTILE_95'] as const) {
        const ours = Number(engineValues.get(`${type} ${agg}`));
        const theirs = pandas.values[type]?.[agg] as number;
        if (Math.abs(ours - theirs) > 1e-3 * Math.max(1, Math.abs(theirs))) {
          console.error(`MISMATCH ${type} ${agg}: engine ${ours}, pandas ${theirs}`);
        }
      }
    }

    let js = '-';
    if (n <= jsMaxRows) {
      const load = await timed(async () => {
        const rows: JsRow[] = [];
        await internalContext(engine).db.withReader(async (conn) => {
          const result = await conn.stream(
            'SELECT service, epoch_ms(created_at) AS c, epoch_ms(acknowledged_at) AS a, epoch_ms(resolved_at) AS r, escalation_level > 0 AS x FROM incidents',
          );
          for await (const chunk of result.yieldRowObjectJs()) {
            for (const o of chunk) {
              rows.push({
                service: o['service'] as string,
                created: Number(o['c']),
                ack: o['a'] === null ? null : Number(o['a']),
                resolved: o['r'] === null ? null : Number(o['r']),
                escalated: Boolean(o['x']),
              });
            }
          }
        });
        return rows;
      });
      const compute = await timed(async () => jsBaseline(load.value));
      const mtbf = compute.value['MTTR']?.AVERAGE ?? Number.NaN;
      if (Math.abs(mtbf - Number(engineValues.get('MTTR AVERAGE'))) > 1e-3)
        console.error('JS MTTR mismatch', mtbf);
      js = `${(compute.ms / 1000).toFixed(2)} s (${(load.ms / 1000).toFixed(1)} s)`;
    }
    const coldMedian = pct(cold, 0.5);
    log(
      `| ${n.toLocaleString('en')} | ${(coldMedian / 1000).toFixed(2)} s (CPU ${(pct(coldCpu, 0.5) / 1000).toFixed(2)} s) | ` +
        `${pct(warm, 0.5).toFixed(0)} / ${pct(warm, 0.95).toFixed(0)} ms | ${pct(warmSystem, 0.5).toFixed(1)} / ${pct(warmSystem, 0.95).toFixed(1)} ms | ` +
        `${(build.ms / 1000).toFixed(1)} s | ${pandas.compute_s.toFixed(2)} s (${pandas.read_s.toFixed(1)} s) | ${js} | ` +
        `${(pandas.compute_s / (coldMedian / 1000)).toFixed(2)}x | ${engineRss} MB |`,
    );
    await engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
log('');
log(`Load average ${loadavg()[0]?.toFixed(1)} at the end.`);
