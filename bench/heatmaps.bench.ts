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
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { heatmapTypes, openEngine, timeGranularities } from '@incident-insights/engine';
import { freshCopy, preparedDatabase, writeBenchAnalyses } from './prepared-database.ts';
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

/** Builds the database once: incidents, cost analyses and anomalies. */
function prepare() {
  return preparedDatabase({
    dir,
    count,
    days,
    log,
    setup: async (engine, end) => {
      await writeBenchAnalyses(engine, end, days);
      log('cost analyses and anomalies written');
      return {};
    },
  });
}

const prepared = await prepare();
const copy = join(dir, 'run.duckdb');
freshCopy(prepared.db, copy);
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
