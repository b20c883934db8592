/**
 * The bulk upsert of issue 14's write goal: the DRF peer's 200,000-incident CSV (`gen_incidents.py
 * N FILE --now 2026-06-01T00:00:00Z`) ingested once into a fresh database file, then the same file
 * upserted again (every row already stored, so every row is an update) several times, in turn by:
 *
 * - `POST /api/incidents/bulk/` with the CSV as a `text/csv` body, the server in this process on a
 *   free port (what `bench/api-vs-drf` measures against the peer's `load_incidents`);
 * - `engine.incidents.ingest({ data, format: 'csv' })`, the call that route makes;
 * - `engine.incidents.ingest({ path, format: 'csv' })`, the CLI's call;
 * - the JS reading path on the same body (splitter, fast validation, appender), which a CSV body took
 *   before it was read by DuckDB: the baseline of the same run (absent when run on older code).
 *
 * Each figure is the median of `--repeat` runs: wall time and CPU time of the whole process
 * (`process.cpuUsage`, DuckDB's threads included), rows a second by wall time.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/bulk-upsert.bench.ts [--count N]
 *   [--csv FILE (reuse a generated peer file)] [--repeat R]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type IngestReport, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { serve } from '@incident-insights/server';
import { timed } from './timer.ts';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    csv: { type: 'string' },
    repeat: { type: 'string', default: '3' },
  },
});
const count = Number(args.count);
const repeat = Math.max(1, Number(args.repeat));
const dir = mkdtempSync(join(tmpdir(), 'insights-bulk-bench-'));
const csv = args.csv ?? join(dir, 'peer.csv');
if (!existsSync(csv)) {
  execFileSync(
    process.env['PYTHON'] ?? '/usr/bin/python3',
    [
      resolve(root, '../shared/peers/drf-rest-framework/gen_incidents.py'),
      String(count),
      csv,
      '--now',
      '2026-06-01T00:00:00Z',
    ],
    { stdio: 'inherit' },
  );
}
const body = readFileSync(csv);
const text = body.toString('utf8');

// The JS reading path is looked up at run time, so the script also runs on code that has none.
const jsPath = await import('../packages/engine/src/ingest/ingest.ts')
  .then(
    (m: Record<string, unknown>) =>
      m['ingestInJs'] as typeof import('../packages/engine/src/ingest/ingest.ts')['ingestInJs'] | undefined,
  )
  .catch(() => undefined);

const engine = await openEngine({ path: join(dir, 'bench.duckdb') });
await engine.auth.createUser({ username: 'bench', password: 'bench-password', role: 'analyst' });
const { key } = await engine.auth.createToken({ user: 'bench', name: 'bench' });
const server = await serve(engine, {
  port: 0,
  handleSignals: false,
  app: { rateLimit: false, logger: false },
});

/** One way of upserting the file, returning the engine's report. */
interface Way {
  readonly label: string;
  readonly run: () => Promise<IngestReport>;
}
const ways: Way[] = [
  {
    label: '`POST /api/incidents/bulk/` (`text/csv` body)',
    run: async () => {
      const response = await fetch(`${server.url}/api/incidents/bulk/`, {
        method: 'POST',
        headers: { Authorization: `Token ${key}`, 'Content-Type': 'text/csv' },
        body,
      });
      const report = (await response.json()) as IngestReport;
      if (response.status !== 200)
        throw new Error(`bulk answered ${response.status}: ${JSON.stringify(report)}`);
      return report;
    },
  },
  {
    label: '`engine.incidents.ingest({ data, format: "csv" })`',
    run: () => engine.incidents.ingest({ data: text, format: 'csv' }),
  },
  {
    label: '`engine.incidents.ingest({ path, format: "csv" })`',
    run: () => engine.incidents.ingest({ path: csv, format: 'csv' }),
  },
];
if (jsPath) {
  ways.push({
    label: 'JS reading path on the body (the route before; baseline)',
    run: () => jsPath(internalContext(engine), { data: text, format: 'csv' }),
  });
}

const loadAtStart = loadavg()[0]!;
const fresh = await timed(() => engine.incidents.ingest({ path: csv, format: 'csv' }));
const rows = fresh.value.received;
const runs = new Map<string, { ms: number[]; cpuMs: number[] }>(
  ways.map((w) => [w.label, { ms: [], cpuMs: [] }]),
);
for (let r = 0; r < repeat; r++) {
  for (const way of ways) {
    const t = await timed(way.run);
    if (t.value.updated !== rows || t.value.inserted !== 0) {
      throw new Error(`${way.label}: expected ${rows} updates, got ${JSON.stringify(t.value)}`);
    }
    runs.get(way.label)!.ms.push(t.ms);
    runs.get(way.label)!.cpuMs.push(t.cpuMs);
  }
}
const loadAtEnd = loadavg()[0]!;
await server.close();
await engine.close();
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `\n${rows.toLocaleString('en')} incidents (${csv}), median of ${repeat}; load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end`,
);
console.log(
  `fresh ingest into an empty table by path: ${seconds(fresh.ms)} wall (${seconds(fresh.cpuMs)} CPU)\n`,
);
console.log('| upsert of every row | wall (CPU) | rows/s |');
console.log('| --- | ---: | ---: |');
for (const way of ways) {
  const { ms, cpuMs } = runs.get(way.label)!;
  const wall = median(ms);
  console.log(
    `| ${way.label} | ${seconds(wall)} (${seconds(median(cpuMs))}) | ${Math.round(rows / (wall / 1000)).toLocaleString('en')} |`,
  );
}
