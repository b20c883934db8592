/**
 * Cold incident lists under concurrency, in process (issue 14's filter and search p99): on a file
 * database of `--count` synthetic incidents (default 200,000, prepared once in the system's
 * temporary folder), `--callers` callers (default 16, as wrk's 16 connections) take requests in
 * turn from one list, `--rounds` passes over the distinct requests of a kind: every service ×
 * severity pair (`filter`), or every title phrase (`search`), first pages as the DRF comparison sends
 * them. The first request of each is cold (its row-id list not built since the last write); the
 * rest are answered from memory. Then each distinct request once more, one at a time on a freshly
 * opened engine, for the CPU a cold request costs alone.
 *
 * Each kind runs twice in the same process: first with `INSIGHTS_COLD_LISTS=off` (the list path as
 * before: the `ILIKE ... ESCAPE` search, cold row-id lists built on any reader), then with it on.
 * Prints per-request wall p50/p99/max, the cold requests' own p50/p99, the whole run's wall and CPU
 * (user + system of the process, DuckDB's threads included) and the load average.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/cold-lists.ts [--count 200000]
 *   [--callers 16] [--rounds 20] [--kinds filter,search]
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Engine, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { freshCopy, preparedDatabase } from './prepared-database.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    callers: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '20' },
    kinds: { type: 'string', default: 'filter,search' },
  },
});
const count = Number(args.count);
const callers = Number(args.callers);
const rounds = Number(args.rounds);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

type Request = Parameters<Engine['incidents']['list']>[0];

const dir = join(tmpdir(), `insights-bench-cold-lists-${count}`);
const prepared = await preparedDatabase({ dir, count, days: 90, log });
const target = join(dir, 'run.duckdb');
freshCopy(prepared.db, target);

/** The engine on the run's copy, its caches empty (they live with the open database). */
const open = () => openEngine({ path: target, now: () => new Date(prepared.end) });

/** The distinct requests of each kind, read from the data. */
async function requestsOf(engine: Engine): Promise<Record<string, Request[]>> {
  const db = internalContext(engine).db;
  const distinct = async (column: string) =>
    (
      await db.all(`SELECT DISTINCT ${column} AS v FROM incidents WHERE ${column} IS NOT NULL ORDER BY 1`)
    ).map((row) => String(row['v']));
  const services = await distinct('service');
  const severities = await distinct('severity');
  const filter = services.flatMap((service) =>
    severities.map((severity) => ({ filters: { service: [service], severity: [severity] } })),
  );
  // Title phrases: the distinct titles with their service named out, as the DRF comparison's phrases.
  const phrases = new Set<string>();
  for (const title of await distinct('title')) {
    const named = services.find((service) => title.includes(service));
    const phrase = (named ? title.split(named).sort((a, b) => b.length - a.length)[0] : title)?.trim();
    if (phrase && phrase.length >= 6 && !/\d/.test(phrase)) phrases.add(phrase);
  }
  const search = [...phrases].sort().map((phrase) => ({ search: phrase }));
  log(`${filter.length} filters, ${search.length} phrases`);
  return { filter, search };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : Number.NaN;

/** `rounds` passes over `requests` by `callers` callers taking the next in turn. */
async function concurrent(engine: Engine, requests: readonly Request[]) {
  const queue = Array.from({ length: rounds }, () => requests).flat();
  const seen = new Set<number>();
  const all: number[] = [];
  const cold: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < queue.length) {
        const n = next++;
        const distinct = n % requests.length;
        const first = !seen.has(distinct);
        seen.add(distinct);
        const began = performance.now();
        await engine.incidents.list(queue[n] as Request);
        const ms = performance.now() - began;
        all.push(ms);
        if (first) cold.push(ms);
      }
    }),
  );
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  all.sort((a, b) => a - b);
  cold.sort((a, b) => a - b);
  return { requests: queue.length, wall, cpu: (used.user + used.system) / 1000, all, cold };
}

/** Each request once, one at a time: CPU milliseconds of each cold request. */
async function serial(engine: Engine, requests: readonly Request[]) {
  const cpus: number[] = [];
  const walls: number[] = [];
  for (const request of requests) {
    const cpu = process.cpuUsage();
    const began = performance.now();
    await engine.incidents.list(request);
    walls.push(performance.now() - began);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  cpus.sort((a, b) => a - b);
  walls.sort((a, b) => a - b);
  return { cpus, walls };
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);

const rows: string[] = [];
const kinds = String(args.kinds).split(',');
const probe = await open();
const requests = await requestsOf(probe);
await probe.close();
log(`load average ${loadAverage()} at the start`);
for (const kind of kinds) {
  const list = requests[kind];
  if (!list) throw new Error(`unknown kind ${kind}: filter or search`);
  for (const mode of ['off', 'on'] as const) {
    process.env['INSIGHTS_COLD_LISTS'] = mode;
    let engine = await open();
    const run = await concurrent(engine, list);
    await engine.close();
    engine = await open();
    const alone = await serial(engine, list);
    await engine.close();
    const line = [
      kind,
      mode === 'off' ? 'before' : 'after',
      String(list.length),
      String(run.requests),
      `${ms(quantile(run.all, 0.5))} / ${ms(quantile(run.all, 0.99))} / ${ms(run.all.at(-1) ?? 0)}`,
      `${ms(quantile(run.cold, 0.5))} / ${ms(quantile(run.cold, 0.99))}`,
      `${ms(run.wall)} (${ms(run.cpu)} CPU)`,
      `${ms(quantile(alone.cpus, 0.5))} / ${ms(alone.cpus.at(-1) ?? 0)} (${ms(quantile(alone.walls, 0.5))} wall)`,
    ];
    log(line.join(' | '));
    rows.push(`| ${line.join(' | ')} |`);
  }
}
log(`load average ${loadAverage()} at the end`);
console.log(
  `${count} incidents, ${callers} callers, ${rounds} rounds\n\n` +
    '| kind | list path | distinct | requests | wall p50 / p99 / max | cold p50 / p99 | run wall (CPU) | one cold request alone: CPU p50 / max (wall p50) |\n' +
    '| --- | --- | ---: | ---: | --- | --- | --- | --- |\n' +
    rows.join('\n'),
);
