/**
 * NDJSON ingest: the SQL path (`engine.incidents.ingest`, which stages a plainly valid file in DuckDB)
 * against the JS path (`ingestInJs`: reader, fast path, schema, appender) on the same synthetic file,
 * in one process, alternating, each run on a fresh database file; DuckDB's own `read_json` into a
 * plain table first, as the physical reference. A process's first ingest is reported apart from the
 * later ones (issue 14 found the first SQL-path ingest slower; the cause was a statement that ran on
 * one thread while the calling thread spun, which happened on some runs and not others).
 *
 * Per run: wall and CPU (`process.cpuUsage`: every thread of the process, DuckDB's included) of the
 * whole call, and of its read-and-stage part (up to the `merging` progress report); "share" is
 * DuckDB's own load time ÷ ours (our rate as a share of DuckDB's).
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/ndjson-ingest.bench.ts [--count N]
 *   [--repeat R] [--file NDJSON (reuse a file instead of writing one)]
 * Defaults: 1,000,000 synthetic incidents (seed 1, about 600 MB), R = 2 (SQL, JS, SQL, JS, ...).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { writeSyntheticNdjson } from '@incident-insights/engine/synth';
import { ingestInJs } from '../packages/engine/src/ingest/ingest.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '2' },
    file: { type: 'string' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'insights-ndjson-bench-'));

/** Process CPU seconds so far (user + system, every thread). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Run {
  readonly path: 'SQL' | 'JS' | 'DuckDB read_json';
  readonly rows: number;
  readonly ms: number;
  readonly cpuMs: number;
  /** Wall and CPU milliseconds to the `merging` report: the file read, checked and staged. */
  readonly stagedMs?: number;
  readonly stagedCpuMs?: number;
}

/** DuckDB's own load of the file into a plain table of a fresh database file. */
async function rawLoad(file: string): Promise<Run> {
  const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'));
  const conn = await instance.connect();
  try {
    const literal = `'${file.replaceAll("'", "''")}'`;
    const { ms, cpuMs } = await timed(() =>
      conn.run(`CREATE TABLE raw AS SELECT * FROM read_json(${literal}, format = 'newline_delimited')`),
    );
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM raw')).getRowsJS()[0]?.[0]);
    return { path: 'DuckDB read_json', rows, ms, cpuMs };
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(join(dir, 'raw.duckdb'), { force: true });
  }
}

/** One ingest of `file` by `path` into a fresh database file (opening it is not timed). */
async function ingest(file: string, path: 'SQL' | 'JS', run: number): Promise<Run> {
  const db = join(dir, `run-${run}.duckdb`);
  const engine = await openEngine({ path: db });
  try {
    const start = performance.now();
    const startCpu = cpuSeconds();
    let staged: { ms: number; cpuMs: number } | undefined;
    const onProgress = (p: { phase: string }) => {
      if (p.phase === 'merging') {
        staged = { ms: performance.now() - start, cpuMs: (cpuSeconds() - startCpu) * 1000 };
      }
    };
    const source = { path: file, format: 'ndjson' } as const;
    const { ms, cpuMs, value } = await timed(() =>
      path === 'SQL'
        ? engine.incidents.ingest(source, { onProgress })
        : ingestInJs(internalContext(engine), source, { onProgress }),
    );
    const stagedAt = staged as { ms: number; cpuMs: number } | undefined;
    return {
      path,
      rows: value.received,
      ms,
      cpuMs,
      ...(stagedAt && { stagedMs: stagedAt.ms, stagedCpuMs: stagedAt.cpuMs }),
    };
  } finally {
    await engine.close();
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);

try {
  let file = args.file;
  if (!file) {
    file = join(dir, 'synthetic.ndjson');
    console.log(`Writing ${Number(args.count).toLocaleString('en')} synthetic incidents to ${file} ...`);
    await writeSyntheticNdjson(file, { seed: 1, count: Number(args.count) });
  }
  const loads = [loadavg()[0]!.toFixed(1)];
  const raw = await rawLoad(file);
  const runs: Run[] = [];
  for (let r = 0; r < Math.max(1, Number(args.repeat)); r++) {
    for (const path of ['SQL', 'JS'] as const) {
      runs.push(await ingest(file, path, runs.length));
      loads.push(loadavg()[0]!.toFixed(1));
    }
  }
  const lines = [
    '| run | path | rows | ingest, wall (CPU) | read and staged, wall (CPU) | share of DuckDB |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    `| - | ${raw.path} | ${raw.rows.toLocaleString('en')} | ${seconds(raw.ms)} (${seconds(raw.cpuMs)}) | - | 100 % |`,
    ...runs.map(
      (run, i) =>
        `| ${i + 1} | ${run.path} | ${run.rows.toLocaleString('en')} | ${seconds(run.ms)} (${seconds(run.cpuMs)}) | ${seconds(run.stagedMs)} (${seconds(run.stagedCpuMs)}) | ${Math.round((100 * raw.ms) / run.ms)} % |`,
    ),
  ];
  const mean = (path: 'SQL' | 'JS', from: number) => {
    const xs = runs.filter((run, i) => run.path === path && i >= from);
    return xs.reduce((sum, run) => sum + run.cpuMs, 0) / Math.max(1, xs.length);
  };
  console.log(`\n${lines.join('\n')}\n`);
  console.log(
    `CPU: SQL first ${seconds(runs[0]?.cpuMs)}, SQL later mean ${seconds(mean('SQL', 1))}, JS mean ${seconds(mean('JS', 0))}; ` +
      `load average (1 min) at the start and after each run: ${loads.join(', ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
