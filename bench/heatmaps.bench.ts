/**
 * Heatmap refresh (issue 12) on one database of synthetic incidents: every heatmap type ×
 * granularity refreshed alone (`engine.heatmaps.refresh({ heatmapType, timeGranularity })`: the
 * one DuckDB query, the grid and the write), first run after opening the engine and median of the
 * next `--repeat` runs (each a replacement of the same stored heatmap); then one refresh of all 16.
 * Goal: every heatmap under 1 s.
 *
 * The database is built once and kept in `--dir` for the next run, as bench/jobs-under-load.ts
 * does: synthetic generator (seed 1, `--count` incidents over `--days` days ending at the hour it is
 * built) through a Parquet file and `engine.incidents.ingest`; then one cost analysis of each
 * resolved incident (DOWNTIME, 100 USD an hour of resolution, written by SQL: the cost calculation
 * is another benchmark) and 5,000 anomalies spread over the span (written by SQL, 1 to 3 services
 * each, a category series for one in three), so that the cost and anomaly heatmaps have data to
 * aggregate. Every measurement works on a fresh copy, with the engine's clock at the data's end.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/heatmaps.bench.ts [--count 1000000]
 *   [--days 90] [--repeat 5] [--dir DIR]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { heatmapTypes, openEngine, timeGranularities } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { writeSyntheticParquet } from '@incident-insights/engine/synth';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    repeat: { type: 'string', default: '5' },
    dir: { type: 'string', default: join(tmpdir(), 'heatmaps-bench') },
  },
});
const count = Number(args.count);
const days = Number(args.days);
const repeat = Number(args.repeat);
const dir = resolve(args.dir, `${count}-${days}`);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Prepared {
  readonly db: string;
  readonly end: string;
}

/** Builds the database once: generate, ingest, cost analyses and anomalies. */
async function prepare(): Promise<Prepared> {
  const marker = join(dir, 'prepared.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as Prepared;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const parquet = join(dir, 'incidents.parquet');
  const written = await timed(() => writeSyntheticParquet(parquet, { seed: 1, count, days, end }));
  log(`generated ${count} incidents over ${days} days in ${(written.ms / 1000).toFixed(1)} s`);
  const db = join(dir, 'pristine.duckdb');
  const engine = await openEngine({ path: db });
  try {
    const ingest = await timed(() => engine.incidents.ingest({ path: parquet, format: 'parquet' }));
    log(`ingested in ${(ingest.ms / 1000).toFixed(1)} s`);
    const sql = internalContext(engine).db;
    await sql.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, calculation_method, created_at, updated_at)
       SELECT uuid(), id, 'DOWNTIME', round(date_diff('second', created_at, resolved_at) / 36.0, 2)::DECIMAL(18, 2),
              'bench: 100 USD an hour', $end, $end
       FROM incidents WHERE resolved_at IS NOT NULL`,
      { end },
    );
    await sql.run(
      `WITH services AS (SELECT list(DISTINCT service ORDER BY service) AS s FROM incidents WHERE service IS NOT NULL),
            categories AS (SELECT list(DISTINCT category ORDER BY category) AS c FROM incidents WHERE category IS NOT NULL)
       INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, confidence_score, anomaly_score,
         detected_at, time_window_start, time_window_end, affected_services)
       SELECT uuid(), 'INCIDENT_SPIKE', 'HIGH', 'DETECTED',
              CASE WHEN i % 3 = 0 THEN 'incident_count:hour:category=' || c[1 + (i % len(c))] ELSE 'incident_count:hour:all' END,
              0.9, 4, t, t, t + INTERVAL 1 HOUR, s[1 + (i % len(s)) : 1 + (i % len(s)) + (i % 3)]
       FROM range(5000) r(i), services, categories,
            LATERAL (SELECT $end::TIMESTAMP - to_microseconds(((i * 7919) % ($days * 86400))::BIGINT * 1000000) AS t)`,
      { end, days },
    );
    log('cost analyses and anomalies written');
  } finally {
    await engine.close();
  }
  const prepared = { db, end: end.toISOString() };
  writeFileSync(marker, JSON.stringify(prepared));
  return prepared;
}

const prepared = await prepare();
const copy = join(dir, 'run.duckdb');
copyFileSync(prepared.db, copy);
if (existsSync(`${prepared.db}.wal`)) copyFileSync(`${prepared.db}.wal`, `${copy}.wal`);
rmSync(`${copy}.wal`, { force: true });
const end = new Date(prepared.end);
log(`load ${loadavg()[0]?.toFixed(1)}; data ends ${prepared.end}`);

const engine = await openEngine({ path: copy, now: () => end });
const lines: string[] = [
  `${count.toLocaleString('en')} incidents over ${days} days; median of ${repeat} after the first`,
  '',
  '| heatmap | cells | first run ms | median ms | max ms |',
  '| --- | ---: | ---: | ---: | ---: |',
];
let worst = 0;
try {
  for (const timeGranularity of timeGranularities) {
    for (const heatmapType of heatmapTypes) {
      const request = { heatmapType, timeGranularity } as const;
      const first = await timed(() => engine.heatmaps.refresh(request));
      const runs: number[] = [];
      for (let i = 0; i < repeat; i++) runs.push((await timed(() => engine.heatmaps.refresh(request))).ms);
      runs.sort((a, b) => a - b);
      const median = runs[Math.floor(runs.length / 2)] ?? Number.NaN;
      const max = Math.max(first.ms, ...runs);
      worst = Math.max(worst, max);
      const h = first.value.heatmaps[0];
      lines.push(
        `| ${heatmapType} ${timeGranularity} | ${h?.rows} × ${h?.columns} | ${first.ms.toFixed(0)} | ${median.toFixed(0)} | ${max.toFixed(0)} |`,
      );
      log(lines.at(-1) ?? '');
    }
  }
  const all = await timed(() => engine.heatmaps.refresh());
  lines.push(
    '',
    `all 16 in one refresh: ${all.ms.toFixed(0)} ms; slowest single heatmap ${worst.toFixed(0)} ms (goal < 1000)`,
  );
} finally {
  await engine.close();
  rmSync(copy, { force: true });
}
process.stdout.write(`${lines.join('\n')}\n`);
