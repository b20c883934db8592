/**
 * Single creates under concurrency, in process (issue 14's write goal): `--loops` callers (default
 * 16, as wrk's 16 connections) each create one record after another for `--seconds`, through
 * `engine.incidents.create` and then `engine.kpis.create`, on a file database of `--count` synthetic
 * incidents (default 200,000, prepared once in the system's temporary folder and copied fresh for
 * each kind); then the same with one caller, where nothing can be gathered (one create a
 * transaction), as the baseline of the same run. Prints creates a second, wall and CPU
 * milliseconds a create (CPU: user + system of the whole process) and the load average.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/create-loops.ts [--count 200000]
 *   [--seconds 5] [--loops 16]
 */
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Engine, openEngine } from '@incident-insights/engine';
import { freshCopy, preparedDatabase } from './prepared-database.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '5' },
    loops: { type: 'string', default: '16' },
  },
});
const count = Number(args.count);
const seconds = Number(args.seconds);
const loops = Number(args.loops);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** One create of a kind, the `n`th of caller `loop`. */
type Create = (engine: Engine, loop: number, n: number) => Promise<unknown>;

const kinds: readonly { label: string; create: Create }[] = [
  {
    label: 'engine.incidents.create',
    create: (engine, loop, n) =>
      engine.incidents.create({
        external_id: `BENCH-CREATE-${loop}-${n}`,
        title: `Bench incident ${loop}-${n}`,
        description: 'Created by the create-loops benchmark',
        category: 'Application',
        severity: 'MEDIUM',
        priority: 'P3',
        service: 'checkout',
        team: 'Payments',
        created_at: '2026-01-01T00:00:00Z',
      }),
  },
  {
    label: 'engine.kpis.create',
    create: (engine, loop, n) =>
      engine.kpis.create({
        name: `bench metric ${loop}-${n}`,
        metric_type: 'INCIDENT_COUNT',
        aggregation_type: 'COUNT',
        time_window_hours: 24,
      }),
  },
];

/** `callers` loops creating for `forSeconds`: creates done, wall and CPU milliseconds. */
async function run(engine: Engine, create: Create, callers: number, tag: number, forSeconds: number) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + forSeconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, loop) => {
      for (let n = 0; performance.now() < until; n++) {
        await create(engine, tag * 1000 + loop, n);
        done++;
      }
    }),
  );
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { done, ms, cpuMs: (used.user + used.system) / 1000 };
}

const dir = join(tmpdir(), `insights-bench-create-${count}`);
const prepared = await preparedDatabase({ dir, count, days: 90, log });
const lines = [
  `Single creates in process: ${count} incidents in a file database, ${seconds} s a measurement; load average (1/5/15 min) at start ${loadAverage()}`,
  '',
  '| create | callers | creates/s | wall ms a create | CPU ms a create |',
  '| --- | --- | --- | --- | --- |',
];
for (const [k, kind] of kinds.entries()) {
  const path = join(dir, 'run.duckdb');
  freshCopy(prepared.db, path);
  const engine = await openEngine({ path, now: () => new Date(prepared.end) });
  try {
    for (const [i, callers] of [loops, 1].entries()) {
      await run(engine, kind.create, callers, 100 + k * 10 + i, 0.5); // warm-up
      log(`${kind.label}: ${callers} caller(s) for ${seconds} s`);
      const f = await run(engine, kind.create, callers, k * 10 + i, seconds);
      lines.push(
        `| ${kind.label} | ${callers} | ${(f.done / (f.ms / 1000)).toFixed(0)} | ${(f.ms / f.done).toFixed(2)} | ${(f.cpuMs / f.done).toFixed(2)} |`,
      );
    }
  } finally {
    await engine.close();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  }
}
lines.push('', `Load average at end: ${loadAverage()}`);
process.stdout.write(`${lines.join('\n')}\n`);
