/**
 * How long the `insights` command takes to start, built (dist/) against the TypeScript sources
 * through tsx (the same binary, `INSIGHTS_RUN=dist` or `source`): median wall time of `--help`,
 * of `users list` on an existing small database, and of `npm start` until the server's first HTTP
 * answer on that database. Goals: help under 300 ms, a command under 500 ms, `npm start` under 3 s.
 *
 * `npm run build` first (or `npm ci`, which builds), then
 * `npx tsx --conditions=@incident-insights/source bench/cli-startup.bench.ts [--runs 11] [--dir DIR]`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
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

type Entry = 'dist' | 'source';

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

/** Runs `npm start` on the database until the server answers one request, then stops it. */
async function npmStartToFirstAnswer(entry: Entry): Promise<void> {
  const port = await freePort();
  const child = spawn(
    'npm',
    ['start', '--', '--port', String(port), '--log-level', 'silent', '--no-schedule'],
    {
      cwd: root,
      env: { ...process.env, INSIGHTS_RUN: entry, INSIGHTS_DB: db },
      stdio: 'ignore',
      detached: true,
    },
  );
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start ended with ${child.exitCode}`);
      const answered = await fetch(`http://127.0.0.1:${port}/api/openapi.json`).then(
        () => true,
        () => false,
      );
      if (answered) return;
      await new Promise((wait) => setTimeout(wait, 10));
    }
  } finally {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));
  }
}

/** Median wall milliseconds of `runs` runs of `work`, runs of the two entries interleaved. */
async function medians(work: (entry: Entry) => unknown): Promise<Record<Entry, number>> {
  const times: Record<Entry, number[]> = { dist: [], source: [] };
  for (let i = 0; i < runs; i++) {
    for (const entry of ['dist', 'source'] as const) times[entry].push((await timed(() => work(entry))).ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return { dist: median(times.dist), source: median(times.source) };
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
insights('dist', ['demo', '--incidents', '2000', '--days', '30']);

const rows: [string, number, Record<Entry, number>][] = [
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
console.log('| what | goal | built (dist/) | sources (tsx) | speed-up |');
console.log('| --- | --- | --- | --- | --- |');
for (const [what, goal, { dist, source }] of rows) {
  console.log(
    `| ${what} | < ${goal} ms | ${dist.toFixed(0)} ms | ${source.toFixed(0)} ms | ${(source / dist).toFixed(1)}x |`,
  );
}
