/**
 * The rate limiter's cost per request: our middleware (packages/server/src/rate-limit/, two fixed
 * windows, the spec's 100 a minute and 1,000 an hour per user, in one pass) against
 * hono-rate-limiter 0.5.4 doing the same with two of its middlewares chained (one per window, its
 * in-memory store, its default draft-6 `RateLimit-*` headers), and against one of its middlewares
 * alone (a minute only: less than the spec asks). Each variant is a Hono app whose first
 * middleware sets the caller (10,000 users taken in turn, so no one reaches a limit: the measured
 * path is the common one) and whose handler answers `ok`; a bare app with the same first
 * middleware is the baseline, and the middleware's cost is each variant's mean less the
 * baseline's.
 *
 * A microbenchmark of a small, fast, repeated piece of work: tinybench fits it (see "Timing" in
 * bench/README.md).
 *
 *   npx tsx --conditions=@incident-insights/source bench/rate-limit.bench.ts [--time MS] [--rounds N]
 */
import os from 'node:os';
import { Hono, type MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { Bench } from 'tinybench';
import type { AppEnv, Principal } from '../packages/server/src/env.ts';
import { rateLimit } from '../packages/server/src/rate-limit/rate-limit.ts';
import { timed } from './timer.ts';

const argument = (flag: string, fallback: number): number => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const timeMs = argument('--time', 1000);
const rounds = argument('--rounds', 5);
const users = 10_000;

const principals: Principal[] = Array.from({ length: users }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  username: `user${i}`,
  role: 'viewer',
  roles: ['viewer'],
  method: 'token',
}));

function appWith(limiters: MiddlewareHandler<AppEnv>[]): Hono<AppEnv> {
  let next = 0;
  const app = new Hono<AppEnv>();
  app.use(async (c, proceed) => {
    c.set('principal', principals[next++ % users] as Principal);
    await proceed();
  });
  for (const limiter of limiters) app.use(limiter);
  app.get('/x', (c) => c.text('ok'));
  return app;
}

const userKey = (c: { get(key: 'principal'): Principal }) => `user:${c.get('principal').id}`;
const theirs = (windowMs: number, limit: number) =>
  rateLimiter<AppEnv>({ windowMs, limit, keyGenerator: userKey, standardHeaders: 'draft-6' });

const variants: [name: string, app: Hono<AppEnv>][] = [
  ['no limiter (baseline)', appWith([])],
  ['ours: minute + hour in one middleware', appWith([rateLimit()])],
  ['hono-rate-limiter: minute + hour chained', appWith([theirs(60_000, 100), theirs(3_600_000, 1000)])],
  ['hono-rate-limiter: minute only', appWith([theirs(60_000, 100)])],
];

// Each variant must answer 200 and carry its limit headers, or the comparison is void.
for (const [name, app] of variants) {
  const res = await app.request('/x');
  if (res.status !== 200) throw new Error(`${name}: status ${res.status}`);
  const headers: string[] = [];
  res.headers.forEach((_, header) => {
    if (header.includes('ratelimit')) headers.push(header);
  });
  headers.sort();
  console.log(`${name}: headers ${headers.join(', ') || '(none)'}`);
}

// Rounds with the variants in turn (each round starts one later), so that a busy spell on a shared
// machine does not fall on one variant alone; each figure is the median of the rounds' means.
const request = new Request('http://localhost/x');
const means = new Map<string, number[]>(variants.map(([name]) => [name, []]));
const cpuPerRequest = new Map<string, number[]>(variants.map(([name]) => [name, []]));
const cpuBatch = 20_000;
for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ time: timeMs, warmupTime: 300 });
  for (let i = 0; i < variants.length; i++) {
    const [name, app] = variants[(i + round) % variants.length] as [string, Hono<AppEnv>];
    bench.add(name, async () => {
      const res = await app.fetch(request);
      await res.arrayBuffer();
    });
  }
  await bench.run();
  bench.tasks.forEach((task, i) => {
    const result = bench.results[i];
    if (!result || !('latency' in result)) throw new Error(`${task.name}: no result`);
    means.get(task.name)?.push(result.latency.mean * 1000);
  });
  // CPU time too (bench/timer.ts): on a busy machine it is the steadier figure, as wall time
  // counts the turns other processes take.
  for (let i = 0; i < variants.length; i++) {
    const [name, app] = variants[(i + round) % variants.length] as [string, Hono<AppEnv>];
    const { cpuMs } = await timed(async () => {
      for (let n = 0; n < cpuBatch; n++) await (await app.fetch(request)).arrayBuffer();
    });
    cpuPerRequest.get(name)?.push((cpuMs * 1000) / cpuBatch);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const meanUs = (name: string): number => median(means.get(name) ?? []);
const cpuUs = (name: string): number => median(cpuPerRequest.get(name) ?? []);
const baseline = 'no limiter (baseline)';
console.log(
  `\n${rounds} rounds of ${timeMs} ms (wall, tinybench) and ${cpuBatch} requests (CPU) a variant, ` +
    `Node ${process.version}, ${users} users in turn, load average ${os.loadavg()[0]?.toFixed(2)}`,
);
console.log('| variant | wall µs / request | limiter wall µs | CPU µs / request | limiter CPU µs |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name] of variants) {
  const wall = meanUs(name);
  const cpu = cpuUs(name);
  const extra = (value: number) => (name === baseline ? '–' : value.toFixed(2));
  console.log(
    `| ${name} | ${wall.toFixed(2)} | ${extra(wall - meanUs(baseline))} | ${cpu.toFixed(2)} | ${extra(cpu - cpuUs(baseline))} |`,
  );
}
