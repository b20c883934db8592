/**
 * Cold point reads of one incident by id (issue 14: `GET /api/incidents/{id}/` at 2,000,000
 * incidents), with the index on `incidents(id)` (migration 8) against the same database without it,
 * in one run: `--count` synthetic incidents (seed 1, 90 days ending 2026-06-01, written once to a
 * Parquet file in `--dir`) ingested into a fresh database file per side, each side in a child process
 * of its own (so each has its own peak RSS), without the index first (it is dropped right after the
 * migrations), then with it. Each side reports:
 *
 * - the ingest (wall, CPU, the process's peak RSS), the file size after the checkpoint, the reopen;
 * - `--reads` incidents read once each by `engine.incidents.get` (cold: the first read of each id
 *   runs SQL), then again (warm: from the answer cache), one at a time; `--reads` others cold by
 *   `--concurrency` callers at once (the server's 16 connections);
 * - `--writes` updates (a new title) and `--writes` deletes by id, one at a time; the upsert of
 *   `--upserts` rows of the file again, changed (ingestion's MERGE path);
 * - without the index, building it on the ingested rows (what migration 8 costs an existing database);
 * - which scan DuckDB ran for the point read (EXPLAIN ANALYZE) and a digest of the answers, which must
 *   be the same on both sides.
 *
 * Times are wall and CPU milliseconds of the whole process (`process.cpuUsage`, DuckDB's threads
 * included); on a busy machine compare the CPU columns.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/incident-point-reads.ts [--count 2000000]
 *   [--reads 200] [--concurrency 16] [--writes 50] [--upserts 100000] [--dir DIR] [--side with-index|without-index]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeSyntheticParquet } from '@incident-insights/engine/synth';
import { incidentByIdSql } from '../packages/engine/src/incidents/incident-service.ts';
import { type IndexMode, measureSide, type SideResult } from './incident-point-reads/measure.ts';
import { resultTable } from './incident-point-reads/table.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '2000000' },
    reads: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    writes: { type: 'string', default: '50' },
    upserts: { type: 'string', default: '100000' },
    dir: { type: 'string' },
    side: { type: 'string' },
  },
});
const count = Number(args.count);
const dir = args.dir ?? join(tmpdir(), `insights-point-reads-${count}`);
const end = new Date('2026-06-01T00:00:00Z');
const parquet = join(dir, 'incidents.parquet');
const upsertParquet = join(dir, 'upsert.parquet');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

if (args.side !== undefined) {
  // A child: one side, its result as one JSON line on stdout.
  if (args.side !== 'with-index' && args.side !== 'without-index')
    throw new Error(`unknown side ${args.side}`);
  const result = await measureSide(
    {
      mode: args.side,
      parquet,
      upsertParquet,
      database: join(dir, `${args.side}.duckdb`),
      reads: Number(args.reads),
      concurrentReads: Number(args.reads),
      concurrency: Number(args.concurrency),
      writes: Number(args.writes),
      now: end,
    },
    incidentByIdSql,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(parquet)) {
    const written = await timed(() =>
      writeSyntheticParquet(parquet, { seed: 1, count, days: 90, end, anomalies: false, recurring: false }),
    );
    console.error(`generated ${count} incidents into ${parquet} in ${(written.ms / 1000).toFixed(1)} s`);
  }
  // The rows upserted at the end: the first --upserts of the file, title changed.
  const instance = await DuckDBInstance.create(':memory:');
  const scratch = await instance.connect();
  await scratch.run(
    `COPY (SELECT * REPLACE (title || ' (again)' AS title) FROM read_parquet('${parquet.replaceAll("'", "''")}')
           LIMIT ${Number(args.upserts)})
     TO '${upsertParquet.replaceAll("'", "''")}' (FORMAT parquet)`,
  );
  scratch.closeSync();
  instance.closeSync();
  console.error(`load average at start: ${load()} (${cpus().length} cores)`);
  const sides: SideResult[] = [];
  for (const side of ['without-index', 'with-index'] satisfies IndexMode[]) {
    const passed = ['count', 'reads', 'concurrency', 'writes', 'upserts'].flatMap((k) => [
      `--${k}`,
      String(args[k as keyof typeof args]),
    ]);
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, ...passed, '--dir', dir, '--side', side],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    sides.push(JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as SideResult);
    console.error(`${side} done; load average ${load()}`);
  }
  const [without, withIndex] = sides as [SideResult, SideResult];
  console.log(resultTable(without, withIndex));
  console.log(
    `\nanswers the same on both sides: ${without.answersDigest === withIndex.answersDigest ? 'yes' : 'NO'}; ` +
      `load average at end: ${load()}`,
  );
}
