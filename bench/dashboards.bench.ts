/**
 * `GET /api/analytics/dashboard/{id}/data/` (issue 12) on one database of synthetic incidents,
 * over real HTTP on loopback: one dashboard with every widget type (KPI summary and trend, anomaly
 * summary and the 10 latest anomalies, cost summary and breakdown, insight summary, recent insights
 * and forecasts, one stored heatmap). Cold: the data computed afresh (the cache dropped by a change
 * to the configuration before each request; the very first request after opening, which also
 * brings the KPI rollups up to date, is reported alone). Warm: the data served from the cache for
 * its refresh interval. Goals: warm p99 under 50 ms, cold under 1 s.
 *
 * The database is built once and kept in `--dir` for the next run, as bench/heatmaps.bench.ts
 * does: synthetic generator (seed 1, `--count` incidents over `--days` days ending at the hour it
 * is built) through Parquet and `engine.incidents.ingest`, a DOWNTIME cost analysis of each
 * resolved incident (100 USD an hour, by SQL) and 5,000 anomalies (by SQL); then one heatmap
 * refresh. Every measurement works on a fresh copy, with the engine's clock at the data's end.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/dashboards.bench.ts [--count 1000000]
 *   [--days 90] [--cold 20] [--warm 1000] [--dir DIR]
 */
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine, systemActor, widgetTypes } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import { freshCopy, preparedDatabase, writeBenchAnalyses } from './prepared-database.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    cold: { type: 'string', default: '20' },
    warm: { type: 'string', default: '1000' },
    dir: { type: 'string', default: join(tmpdir(), 'dashboards-bench') },
  },
});
const count = Number(args.count);
const days = Number(args.days);
const dir = resolve(args.dir, `${count}-${days}`);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Builds the database once: incidents, cost analyses, anomalies and one stored heatmap. */
function prepare() {
  return preparedDatabase({
    dir,
    count,
    days,
    log,
    setup: async (engine, end) => {
      await writeBenchAnalyses(engine, end, days);
      await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
      return {};
    },
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const stats = (runs: number[]) => {
  const sorted = [...runs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

const prepared = await prepare();
const copy = join(dir, 'run.duckdb');
freshCopy(prepared.db, copy);
const end = new Date(prepared.end);
log(`load ${loadavg()[0]?.toFixed(1)}; data ends ${prepared.end}`);

const engine = await openEngine({ path: copy, now: () => end });
const server = await serve(engine, {
  port: 0,
  handleSignals: false,
  jobs: { schedules: false },
  app: { rateLimit: false, logger: false },
});
const lines: string[] = [];
try {
  await engine.auth.createUser({ username: 'bench', password: 'password-bench', role: 'viewer' });
  const token = (await engine.auth.createToken({ user: 'bench', name: 'bench' })).key;
  const dashboards = engine.as(systemActor).dashboards;
  const { id } = await dashboards.create({
    name: 'Every widget',
    dashboard_type: 'CUSTOM',
    layout_config: { rows: 2, columns: 5 },
    is_public: true,
    widget_configs: widgetTypes.map((type, i) => ({
      type,
      position: { row: Math.floor(i / 5), column: i % 5 },
      size: { width: 1, height: 1 },
    })),
  });
  const get = async () => {
    const response = await fetch(`${server.url}/api/analytics/dashboard/${id}/data/`, {
      headers: { Authorization: `Token ${token}` },
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.text();
  };
  const first = await timed(get);
  const cold: number[] = [];
  for (let i = 0; i < Number(args.cold); i++) {
    await dashboards.update(id, { description: `run ${i}` }); // drops the cached data
    cold.push((await timed(get)).ms);
  }
  const warm: number[] = [];
  for (let i = 0; i < Number(args.warm); i++) warm.push((await timed(get)).ms);
  const c = stats(cold);
  const w = stats(warm);
  lines.push(
    `${count.toLocaleString('en')} incidents over ${days} days; body ${first.value.length.toLocaleString('en')} bytes`,
    '',
    '| request | runs | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| first after opening (KPI rollups built) | 1 | ${first.ms.toFixed(0)} | | |`,
    `| cold (cache dropped) | ${cold.length} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} | ${c.max.toFixed(1)} |`,
    `| warm (cached) | ${warm.length} | ${w.p50.toFixed(2)} | ${w.p99.toFixed(2)} | ${w.max.toFixed(2)} |`,
    '',
    `goals: warm p99 < 50 ms (${w.p99 < 50 ? 'met' : 'missed'}), cold < 1000 ms (${c.max < 1000 ? 'met' : 'missed'})`,
  );
} finally {
  await server.close();
  await engine.close();
  rmSync(copy, { force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
