/**
 * API read throughput on 200,000 incidents: requests/s, p50 and p99 (autocannon) of the list endpoints
 * (incidents first page, deep page, filtered, searched, ordered; an incident's detail, also over the
 * 100 newest incidents as bench/api-vs-drf asks it; KPI metrics; KPI measurements; the KPI
 * summary), each request asking for a different page, filter, search or id drawn from a
 * seeded sequence, so what is measured is the engine and not one remembered answer. Each endpoint
 * is loaded twice: "varied" (each request a new draw from thousands) and "repeated" (a cycle of 8
 * requests, i.e. what a dashboard polling the same pages sees).
 *
 * Data: the Django peer's generator (`gen_incidents.py 200000 FILE --now 2026-06-01T00:00:00Z`)
 * ingested once into `BENCH_DIR` (default a folder in the system's temp dir), then copied for the run;
 * `BENCH_INCIDENTS` changes the count, `BENCH_SECONDS` the load of each phase (5 s), and
 * `BENCH_ONLY` (comma-separated parts of endpoint names, e.g. `detail,summary`) picks endpoints.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/api-reads.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import autocannon from 'autocannon';
import { mulberry32 } from '../packages/engine/src/random/mulberry32.ts';
import { timed } from './timer.ts';

const incidents = Number(process.env['BENCH_INCIDENTS'] ?? 200_000);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const connections = 16;
const settleMs = 3000;
const dir = resolve(process.env['BENCH_DIR'] ?? join(tmpdir(), `insights-api-reads-${incidents}`));
const generator = resolve(
  process.env['BENCH_GENERATOR'] ?? '../shared/peers/drf-rest-framework/gen_incidents.py',
);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The pristine database: generated and ingested on the first run, reused afterwards. */
async function pristine(): Promise<string> {
  const db = join(dir, 'pristine.duckdb');
  if (existsSync(db)) return db;
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'incidents.csv');
  execFileSync('python3', [generator, String(incidents), csv, '--now', '2026-06-01T00:00:00Z'], {
    stdio: 'inherit',
  });
  const engine = await openEngine({ path: join(dir, 'building.duckdb') });
  const loaded = await timed(() => engine.incidents.ingest({ path: csv, format: 'csv' }));
  log(`ingested ${loaded.value.inserted} incidents in ${(loaded.ms / 1000).toFixed(1)} s`);
  // Measurements for the measurements list: every active metric over 30 daily windows.
  for (let day = 0; day < 30; day++) {
    await engine.kpis.calculateAll({ end: new Date(Date.UTC(2026, 4, 2 + day)), windowHours: 24 });
  }
  await engine.close();
  copyFileSync(join(dir, 'building.duckdb'), db);
  rmSync(join(dir, 'building.duckdb'));
  return db;
}

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

/** Loads the server with requests whose paths come from `paths` in turn. */
function load(base: string, token: string, paths: readonly string[]): Promise<Result> {
  let next = 0;
  return new Promise((done, fail) => {
    autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        headers: { Authorization: `Token ${token}` },
        requests: [
          {
            setupRequest: (request: autocannon.Request) => ({
              ...request,
              path: paths[next++ % paths.length] ?? '/',
            }),
          },
        ],
      },
      (error: unknown, result: Result) => (error ? fail(error) : done(result)),
    );
  });
}

const source = await pristine();
const copy = join(dir, 'run.duckdb');
copyFileSync(source, copy);
rmSync(`${copy}.wal`, { force: true });
const engine = await openEngine({ path: copy });
await engine.auth.createUser({ username: 'bench', role: 'viewer' });
const { key } = await engine.auth.createToken({ user: 'bench' });
const server = await serve(engine, {
  port: 0,
  handleSignals: false,
  app: { rateLimit: false, logger: false },
});

// Seeded, so every run asks the same requests.
const random = mulberry32(14);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const draws = (count: number, make: () => string): string[] => Array.from({ length: count }, make);
const total = await engine.incidents.count();
const lastPage = Math.floor((total - 1) / 20) + 1;
const services = (await engine.incidents.list({ pageSize: 100 })).results.map((i) => i.service);
const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
// Words of the generator's titles, each in thousands of incidents.
const words = [
  'unreachable',
  'disk',
  'crash',
  'exception',
  'deployment',
  'packet',
  'dns',
  'replication',
  'pool',
  'memory',
];
const orderings = [
  'priority',
  '-priority',
  'service',
  '-severity',
  'title',
  'resolved_at',
  '-status',
  'team',
];
const ids: string[] = [];
for (let page = 1; page <= 50; page++) {
  const one = await engine.incidents.list({ page: 1 + Math.floor(random() * lastPage), pageSize: 20 });
  ids.push(...one.results.map((i) => i.id));
}
const metricCount = (await engine.kpis.list({})).count;
const newest = (await engine.incidents.list({ pageSize: 100 })).results.map((i) => i.id);
const only = process.env['BENCH_ONLY']?.split(',').filter((part) => part.length > 0);

const endpoints: [string, () => string][] = [
  [
    'kpi-metrics list',
    () => `/api/analytics/kpi-metrics/?page_size=${1 + Math.floor(random() * metricCount)}`,
  ],
  ['incidents first page', () => `/api/incidents/?page_size=${1 + Math.floor(random() * 100)}`],
  [
    'incidents deep page (~5,000)',
    () => `/api/incidents/?page_size=20&page=${4000 + Math.floor(random() * 2000)}`,
  ],
  [
    'incidents by service and severity',
    () =>
      `/api/incidents/?service=${pick(services)}&severity=${pick(severities)}&page=${1 + Math.floor(random() * 3)}`,
  ],
  ['incidents searched', () => `/api/incidents/?search=${pick(words)}&page=${1 + Math.floor(random() * 3)}`],
  [
    'incidents ordered',
    () => `/api/incidents/?ordering=${pick(orderings)}&page=${1 + Math.floor(random() * 200)}`,
  ],
  ['incident detail', () => `/api/incidents/${pick(ids)}/`],
  // The first request of each of these 100 reads the database; every later one is a cached answer.
  ['incident detail (100 newest)', () => `/api/incidents/${pick(newest)}/`],
  ['kpi-measurements list', () => `/api/analytics/kpi-measurements/?page=${1 + Math.floor(random() * 10)}`],
  // One path: every request asks the same summary (its windows end at the last complete hour).
  ['kpi summary', () => '/api/analytics/kpi-metrics/summary/'],
];

const rows: string[] = [];
for (const [name, make] of endpoints) {
  if (only && !only.some((part) => name.includes(part))) continue;
  for (const [mode, paths] of [
    ['varied', draws(20_000, make)],
    ['repeated', draws(8, make)],
  ] as const) {
    // Queries of the last phase still queued on the reader connections finish first.
    await new Promise((settled) => setTimeout(settled, settleMs));
    const r = await load(server.url, key, paths);
    rows.push(
      `| ${name} | ${mode} | ${Math.round(r.requests.average)} | ${r.latency.average.toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx + r.errors} |`,
    );
    log(rows.at(-1) ?? '');
  }
}
process.stdout.write(
  [
    `Node ${process.version}, ${availableParallelism()} cores, ${total} incidents, autocannon ${connections} connections x ${seconds} s each, rate limiter and logging off; load average ${loadavg()[0]?.toFixed(1)} at the end.`,
    '',
    '| endpoint | requests | req/s | mean ms | p50 ms | p99 ms | non-2xx |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'),
);
await server.close();
await engine.close();
