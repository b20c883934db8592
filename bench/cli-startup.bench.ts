/**
 * How long the `insights` command takes to start: the bundle of the build (dist/bundle/), the build
 * (dist/) and the TypeScript sources through tsx (the same binary, `INSIGHTS_RUN=bundle`, `dist`
 * or `source`): median wall time and median CPU time (user + system) of `--help`,
 * of `users list` on an existing small database, and of `npm start` until the server's first HTTP
 * answer on that database. Goals: help under 300 ms, a command under 500 ms, `npm start` under 3 s.
 *
 * `npm run build` first (or `npm ci`, which builds), then
 * `npx tsx --conditions=@incident-insights/source bench/cli-startup.bench.ts [--runs 11] [--dir DIR]`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { timed } from './timer.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'packages/cli/bin/insights.js');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '11' }, dir: { type: 'string' } },
});
const runs = Number(values.runs);
const dir = resolve(values.dir ?? join(root, 'bench/.out/cli-startup'));
const db = join(dir, 'insights.duckdb');

const entries = ['bundle', 'dist', 'source'] as const;
type Entry = (typeof entries)[number];

function insights(entry: Entry, args: readonly string[]): void {
  execFileSync(process.execPath, [bin, '--db', db, ...args], {
    env: { ...process.env, INSIGHTS_RUN: entry },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A TCP port free at the time of asking. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/**
 * Runs `npm start` on the database until the server answers one request, then stops it; returns
 * the milliseconds from the spawn to that answer (the shutdown after it is not counted).
 */
async function npmStartToFirstAnswer(entry: Entry): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    'npm',
    ['start', '--', '--port', String(port), '--log-level', 'silent', '--no-schedule'],
    {
      cwd: root,
      env: { ...process.env, INSIGHTS_RUN: entry, INSIGHTS_DB: db },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`npm start (${entry}) ended with ${child.exitCode}: ${stderr}`);
      const answered = await fetch(`http://127.0.0.1:${port}/api/openapi.json`).then(
        () => true,
        () => false,
      );
      if (answered) return performance.now() - started;
      await new Promise((wait) => setTimeout(wait, 10));
    }
  } finally {
    // The whole process group (npm, its shell, the server), and until every one of them is gone:
    // the next run must find the database free.
    if (child.pid !== undefined) {
      signalGroup(child.pid, 'SIGTERM');
      while (signalGroup(child.pid, 0)) await new Promise((wait) => setTimeout(wait, 10));
    }
  }
}

/** Sends `signal` to process group `pid`; false when no process of the group is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU milliseconds (user + system) used so far by the child processes this one has waited for
 * (Linux: fields cutime and cstime of /proc/self/stat, in clock ticks of 10 ms).
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command name, cutime and cstime are fields 14 and 15 (0-based, from the state).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

interface Medians {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * Median wall and children's CPU milliseconds of `runs` runs of `work`, runs of the entries
 * interleaved. A `work` that returns a number gives its own wall time (the part worth timing).
 */
async function medians(work: (entry: Entry) => unknown): Promise<Record<Entry, Medians>> {
  const walls = Object.fromEntries(entries.map((entry) => [entry, [] as number[]]));
  const cpus = Object.fromEntries(entries.map((entry) => [entry, [] as number[]]));
  for (let i = 0; i < runs; i++) {
    for (const entry of entries) {
      const cpuBefore = childrenCpuMs();
      const { ms, value } = await timed(() => work(entry));
      walls[entry]?.push(typeof value === 'number' ? value : ms);
      cpus[entry]?.push(childrenCpuMs() - cpuBefore);
    }
  }
  const median = (xs: number[] = []) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return Object.fromEntries(
    entries.map((entry) => [entry, { ms: median(walls[entry]), cpuMs: median(cpus[entry]) }]),
  ) as Record<Entry, Medians>;
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
insights('bundle', ['demo', '--incidents', '2000', '--days', '30']);

const rows: [string, number, Record<Entry, Medians>][] = [
  ['`insights --help`', 300, await medians((entry) => insights(entry, ['--help']))],
  [
    '`insights users list` (existing database)',
    500,
    await medians((entry) => insights(entry, ['users', 'list'])),
  ],
  ['`npm start` to the first answer (existing database)', 3000, await medians(npmStartToFirstAnswer)],
];

console.log(
  `median of ${runs} runs each, load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
const cell = ({ ms, cpuMs }: Medians) => `${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)})`;
console.log(
  '| what | goal | bundle (dist/bundle/) | build (dist/) | sources (tsx) | bundle vs dist, wall (CPU) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [what, goal, { bundle, dist, source }] of rows) {
  const ratio = `${(dist.ms / bundle.ms).toFixed(1)}x (${(dist.cpuMs / bundle.cpuMs).toFixed(1)}x)`;
  console.log(`| ${what} | < ${goal} ms | ${cell(bundle)} | ${cell(dist)} | ${cell(source)} | ${ratio} |`);
}
