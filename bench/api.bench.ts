/**
 * HTTP API throughput: requests/s and p99 latency (autocannon) of `/healthz` and of an
 * authenticated list, `/api/incidents/?page_size=20` over 5,000 incidents, with the rate limiter
 * off. Baseline in the same run: a bare Hono app on @hono/node-server answering a constant JSON
 * body, i.e. the cost of HTTP + Hono without our middleware or the engine.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/api.bench.ts
 */
import { availableParallelism, loadavg } from 'node:os';
import { serve as serveNode } from '@hono/node-server';
import { openEngine, severities } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import autocannon from 'autocannon';
import { Hono } from 'hono';

const incidents = 5000;
const durationSeconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = 10;

interface Result {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}

function load(url: string, headers: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: durationSeconds, headers }, (error: unknown, result: Result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const engine = await openEngine({ path: ':memory:' });
await engine.incidents.ingest({
  records: Array.from({ length: incidents }, (_, i) => ({
    external_id: `B-${i}`,
    title: `Incident ${i}`,
    description: `benchmark incident ${i}`,
    severity: severities[i % 4] ?? 'LOW',
    service: `svc-${i % 20}`,
    team: `team-${i % 7}`,
    created_at: new Date(Date.UTC(2025, 0, 1) + i * 600_000).toISOString(),
  })),
});
await engine.auth.createUser({ username: 'bench', role: 'viewer' });
const { key } = await engine.auth.createToken({ user: 'bench' });
const server = await serve(engine, {
  port: 0,
  handleSignals: false,
  app: { rateLimit: false, logger: false },
});

const bare = new Hono();
bare.get('/healthz', (c) => c.json({ status: 'ok' }));
const baseline = await new Promise<{ url: string; close: () => void }>((resolve) => {
  const s = serveNode({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve({ url: `http://127.0.0.1:${info.port}`, close: () => s.close() }),
  );
});

const rows: [string, Result][] = [];
rows.push(['bare Hono /healthz (baseline)', await load(`${baseline.url}/healthz`)]);
rows.push(['API /healthz', await load(`${server.url}/healthz`)]);
rows.push([
  'API /api/incidents/?page_size=20 (Token auth)',
  await load(`${server.url}/api/incidents/?page_size=20`, { Authorization: `Token ${key}` }),
]);

// The machine is shared: the baseline runs first and last, and the ratios use the mean of both.
rows.push(['bare Hono /healthz (baseline, again)', await load(`${baseline.url}/healthz`)]);
const base = ((rows[0]?.[1].requests.average ?? 1) + (rows[3]?.[1].requests.average ?? 1)) / 2;
const lines = [
  `Node ${process.version}, ${availableParallelism()} cores, autocannon ${connections} connections x ${durationSeconds} s, ${incidents} incidents, rate limiter off, logging off; load average ${loadavg()[0]?.toFixed(1)} at the start.`,
  '',
  '| endpoint | req/s | ratio to baseline | mean ms | p99 ms | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ([name, r]) =>
      `| ${name} | ${Math.round(r.requests.average)} | ${(r.requests.average / base).toFixed(2)} | ${r.latency.average.toFixed(2)} | ${r.latency.p99} | ${r.non2xx + r.errors} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
baseline.close();
await server.close();
