/**
 * Jobs under load (issue 10), two measurements on one database of synthetic incidents:
 *
 * 1. Reads while a job runs: `insights serve` (a child process, no schedule, rate limits out of the
 *    way) answers `GET /api/analytics/kpi-metrics/summary/` and `GET /api/incidents/?page_size=20`
 *    (pages drawn at random from the first 5,000, so that the list's caches do not answer it all)
 *    under a steady load (autocannon, both at once). p50 and p99 of each, idle, then while a
 *    `run_anomaly_detection` job over the whole span (posted to `POST /api/jobs/`) runs, then idle
 *    again; only responses received while the job was RUNNING count for the loaded figures. Goal:
 *    loaded p99 within 2x of idle. To show what dominates, the loaded figures are also given by step
 *    of the run (its progress lines, polled), beside the same run's steps timed alone in this process.
 * 2. A job's round trip from the command line: `insights calculate-kpis --metric-id X --json` on a
 *    copy of the database alone (the CLI opens the file and computes) against the same command on
 *    another copy of the same file while a server holds it (the CLI sends a job and follows it).
 *
 * The database is built once (synthetic generator, seed 1, ending at the hour it is built, through a
 * Parquet file and `engine.incidents.ingest`) and kept in `--dir` for the next run; every
 * measurement works on a fresh copy of it.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/jobs-under-load.ts [--count 1000000]
 *   [--days 90] [--seconds 20] [--connections 4] [--max-job-seconds 180] [--repeat 3] [--dir DIR]
 */
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '@incident-insights/engine';
import { mulberry32Uint32 } from '../packages/engine/src/random/mulberry32.ts';
import { type Figures, figures, loadUntil, type Sample } from './http-load.ts';
import { runCli, type Server, startServer } from './insights-process.ts';
import { freshCopy, preparedDatabase } from './prepared-database.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
    'max-job-seconds': { type: 'string', default: '180' },
    repeat: { type: 'string', default: '3' },
    dir: { type: 'string', default: join(tmpdir(), 'jobs-under-load') },
  },
});
const count = Number(args.count);
const days = Number(args.days);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const maxJobSeconds = Number(args['max-job-seconds']);
const repeat = Number(args.repeat);
const dir = resolve(args.dir, `${count}-${days}`);
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const load = () => (loadavg()[0] ?? 0).toFixed(1);

/** Builds the database once: an analyst token for the load, a metric id for the CLI. */
function prepare() {
  return preparedDatabase({
    dir,
    count,
    days,
    log,
    setup: async (engine) => {
      await engine.auth.createUser({ username: 'bench', role: 'analyst' });
      const { key } = await engine.auth.createToken({ user: 'bench' });
      const metrics = await engine.kpis.list({ pageSize: 100 });
      const metric = metrics.results.find((m) => m.metric_type === 'MTTR') ?? metrics.results[0];
      if (!metric) throw new Error('no KPI metric to calculate');
      return { token: key, metricId: metric.id };
    },
  });
}

const endpoints = {
  summary: '/api/analytics/kpi-metrics/summary/',
  incidents: '/api/incidents/?page_size=20&page=P',
} as const;

/**
 * The incidents list's pages, drawn at random (seeded) from the newest 100,000 incidents: the list
 * caches rows it has read, so one repeated path would measure the cache, not the reads. The summary
 * has no parameters: it is one question, answered from its cache until the incidents change.
 */
function incidentPages(): () => string {
  const draw = mulberry32Uint32(42);
  return () => `/api/incidents/?page_size=20&page=${1 + (draw() % 5000)}`;
}

type Endpoint = keyof typeof endpoints;
type Samples = Record<Endpoint, Sample[]>;
type Result = Record<Endpoint, Figures>;

/** Both endpoints under load at once until `stop`: every response of each. */
async function measure(server: Server, token: string, stop: Promise<unknown>): Promise<Samples> {
  const [summary, incidents] = await Promise.all([
    loadUntil(`${server.url}${endpoints.summary}`, token, connections, stop),
    loadUntil(`${server.url}/api/incidents/`, token, connections, stop, incidentPages()),
  ]);
  return { summary, incidents };
}

/** The figures of the responses received in `[from, to]`. */
function within(samples: Samples, from: number, to: number): Result {
  return { summary: figures(samples.summary, from, to), incidents: figures(samples.incidents, from, to) };
}

async function api(
  server: Server,
  token: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function idle(server: Server, token: string): Promise<Result> {
  const start = Date.now();
  const samples = await measure(server, token, sleep(seconds * 1000));
  return within(samples, start, Date.now());
}

/** Loads both endpoints while a run_anomaly_detection job over the whole span runs. */
async function underJob(server: Server, token: string) {
  const job = await api(server, token, '/api/jobs/', {
    kind: 'run_anomaly_detection',
    parameters: { time_window: days * 24 },
  });
  const path = `/api/jobs/${String(job['id'])}/`;
  let status = String(job['status']);
  while (status === 'QUEUED') {
    await sleep(100);
    status = String((await api(server, token, path))['status']);
  }
  const started = Date.now();
  let ended = Number.POSITIVE_INFINITY;
  let cancelled = false;
  // The job's progress lines, each ending a step of the run, with the time they were first seen.
  const steps: { at: number; done: number; message: string }[] = [];
  const finished = (async () => {
    while (status === 'RUNNING') {
      await sleep(250);
      if (!cancelled && Date.now() - started > maxJobSeconds * 1000) {
        // Long enough: the loaded figures stop here, and the job is not left to run on.
        ended = Date.now();
        cancelled = true;
        await api(server, token, `${path}cancel/`, {});
      }
      const job = await api(server, token, path);
      status = String(job['status']);
      const progress = job['progress'] as { done?: unknown; message?: unknown } | null;
      const message = String(progress?.message ?? '');
      if (message && message !== steps.at(-1)?.message) {
        steps.push({ at: Date.now(), done: Number(progress?.done ?? 0), message });
      }
    }
    ended = Math.min(ended, Date.now());
  })();
  const samples = await measure(server, token, finished);
  const final = await api(server, token, path);
  const byStep = steps
    .filter((step) => step.at <= ended)
    .map((step, i, all) => ({
      // Lines written less than a poll apart are seen only as the last of them: steps a..b.
      steps: `${(all[i - 1]?.done ?? 0) + 1}${step.done > (all[i - 1]?.done ?? 0) + 1 ? `–${step.done}` : ''}`,
      message: step.message,
      seconds: (step.at - (all[i - 1]?.at ?? started)) / 1000,
      result: within(samples, all[i - 1]?.at ?? started, step.at),
    }));
  return {
    result: within(samples, started, ended),
    byStep,
    seconds: (ended - started) / 1000,
    status: String(final['status']),
    cancelled,
  };
}

function table(rows: [string, Result][]): string[] {
  const lines = [
    '| phase | endpoint | requests | failed | p50 ms | p99 ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [phase, result] of rows) {
    for (const name of Object.keys(endpoints) as Endpoint[]) {
      const f = result[name];
      lines.push(
        `| ${phase} | ${endpoints[name]} | ${f.requests} | ${f.failed} | ${f.p50.toFixed(1)} | ${f.p99.toFixed(1)} |`,
      );
    }
  }
  return lines;
}

/** The same run in this process on a copy, no server, no load: how long each step takes by itself. */
async function runAlone(db: string): Promise<string[]> {
  const engine = await openEngine({ path: db });
  const steps: string[] = [];
  try {
    let last = performance.now();
    let step = 0;
    const { ms } = await timed(() =>
      engine.anomalies.run({
        windowHours: days * 24,
        onProgress: (line) => {
          const now = performance.now();
          steps.push(`| ${++step} | ${line.slice(0, 90)} | ${((now - last) / 1000).toFixed(1)} |`);
          last = now;
        },
      }),
    );
    return [
      `The same run alone (in one process on a copy of the file, no server, no load): ${(ms / 1000).toFixed(1)} s.`,
      '',
      '| step | ending with the progress line | s |',
      '| ---: | --- | ---: |',
      ...steps,
    ];
  } finally {
    await engine.close();
  }
}

/** When a job was queued, started and finished. */
interface JobTimes {
  readonly queuedMs: number;
  readonly runMs: number;
}

/** The times of jobs (records as the API or the engine gives them), oldest first. */
function jobTimes(jobs: readonly Record<string, unknown>[]): JobTimes[] {
  const at = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).getTime();
  return [...jobs]
    .sort((a, b) => at(a['created_at']) - at(b['created_at']))
    .map((j) => ({
      queuedMs: at(j['started_at']) - at(j['created_at']),
      runMs: at(j['finished_at']) - at(j['started_at']),
    }));
}

/** The calculate_kpis jobs a command line recorded in `db` on its own. */
async function storedJobTimes(db: string): Promise<JobTimes[]> {
  const engine = await openEngine({ path: db });
  try {
    const page = await engine.jobs.list({ pageSize: 100 });
    const kpiJobs = page.results.filter((j) => j.kind === 'calculate_kpis');
    return jobTimes(kpiJobs.map((j) => ({ ...j }) as unknown as Record<string, unknown>));
  } finally {
    await engine.close();
  }
}

const prepared = await prepare();
const lines: string[] = [
  `${count.toLocaleString('en')} synthetic incidents over ${days} days (seed 1); Node ${process.version}, ${availableParallelism()} cores; autocannon ${connections} connections on each endpoint at once; load average ${load()} at the start.`,
  '',
];
const aloneRun = join(dir, 'run-alone.duckdb');
freshCopy(prepared.db, aloneRun);
log('the run alone');
const aloneSteps = await runAlone(aloneRun);

// 1. Reads while a job runs.
const loaded = join(dir, 'loaded.duckdb');
freshCopy(prepared.db, loaded);
const server = await startServer(loaded);
try {
  await idle(server, prepared.token); // warm-up: caches, reader connections, JIT
  log('idle');
  const before = await idle(server, prepared.token);
  log('under the job');
  const run = await underJob(server, prepared.token);
  log('idle again');
  const after = await idle(server, prepared.token);
  lines.push(
    ...table([
      ['idle', before],
      [`run_anomaly_detection RUNNING (${run.seconds.toFixed(0)} s measured)`, run.result],
      ['idle again', after],
    ]),
    '',
    `Job: ${run.status}${run.cancelled ? ` (cancelled after ${maxJobSeconds} s of load)` : ''}; load average ${load()} at the end of the loaded phase.`,
  );
  for (const name of Object.keys(endpoints) as Endpoint[]) {
    const ratio = run.result[name].p99 / before[name].p99;
    lines.push(
      `- ${endpoints[name]}: p99 under the job / idle = ${ratio.toFixed(2)}x (goal ≤ 2x: ${ratio <= 2 ? 'met' : 'not met'})`,
    );
  }
  lines.push(
    '',
    'By step of the run (a step ends with the progress line shown; p99 of the responses received during it):',
    '',
    '| steps | ending with the progress line | s | summary: requests, p99 ms | incidents: requests, p99 ms |',
    '| --- | --- | ---: | ---: | ---: |',
    ...run.byStep.map(
      (step) =>
        `| ${step.steps} | ${step.message.slice(0, 90)} | ${step.seconds.toFixed(1)} | ${step.result.summary.requests}, ${step.result.summary.p99.toFixed(0)} | ${step.result.incidents.requests}, ${step.result.incidents.p99.toFixed(0)} |`,
    ),
    '',
    ...aloneSteps,
  );
} finally {
  await server.stop();
}

// 2. The CLI's round trip: alone, then beside a server, each on its own copy of the same file.
const command = ['calculate-kpis', '--metric-id', prepared.metricId, '--json'];
const alone = join(dir, 'alone.duckdb');
const beside = join(dir, 'beside.duckdb');
freshCopy(prepared.db, alone);
freshCopy(prepared.db, beside);
const aloneRuns: { ms: number; out: string }[] = [];
for (let i = 0; i < repeat; i++) aloneRuns.push(await runCli(alone, command));
const holder = await startServer(beside);
const besideRuns: { ms: number; out: string }[] = [];
let besideJobs: JobTimes[];
try {
  for (let i = 0; i < repeat; i++) besideRuns.push(await runCli(beside, command));
  const page = await api(holder, prepared.token, '/api/jobs/?kind=calculate_kpis&page_size=100');
  besideJobs = jobTimes(page['results'] as Record<string, unknown>[]);
} finally {
  await holder.stop();
}
const aloneJobs = await storedJobTimes(alone);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const same = aloneRuns.every((r, i) => r.out.length > 0 && r.out.length === besideRuns[i]?.out.length);
const aloneMs = median(aloneRuns.map((r) => r.ms));
const besideMs = median(besideRuns.map((r) => r.ms));
const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
lines.push(
  '',
  `\`insights calculate-kpis --metric-id <${prepared.metricId.slice(0, 8)}…> --json\`, ${repeat} runs each (the first on a fresh copy, the others re-runs); the job's own times from its record (queued = created → started, run = started → finished):`,
  '',
  '| run | alone: total ms | alone: job run ms | beside: total ms | beside: job queued ms | beside: job run ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...aloneRuns.map(
    (r, i) =>
      `| ${i + 1} | ${ms(r.ms)} | ${ms(aloneJobs[i]?.runMs)} | ${ms(besideRuns[i]?.ms)} | ${ms(besideJobs[i]?.queuedMs)} | ${ms(besideJobs[i]?.runMs)} |`,
  ),
  `| median | ${ms(aloneMs)} | | ${ms(besideMs)} | | |`,
  '',
  `Round-trip overhead (median beside − median alone): ${(besideMs - aloneMs).toFixed(0)} ms; outputs of equal length run by run: ${same ? 'yes' : 'no'}.`,
);
process.stdout.write(`${lines.join('\n')}\n`);
