/**
 * Ingestion throughput against DuckDB's own load of the same file, measured in the same run.
 *
 * Files: N synthetic incidents (default 1,000,000, seed 1) as Parquet, CSV and NDJSON; the DRF
 * peer's generator output at N (`gen_incidents.py N FILE --now 2026-06-01T00:00:00Z`, a CSV we did
 * not write) and the same converted by DuckDB to Parquet and NDJSON; the UCI ServiceNow event log
 * (read in place from its zip). For each: `engine.incidents.ingest({ path, format })` into a fresh
 * temporary database file (read, validate every row, stage, upsert, commit), timed (wall and CPU of
 * the whole process, DuckDB's threads included); and DuckDB's `CREATE TABLE raw AS SELECT * FROM
 * read_parquet/read_csv/read_json(file)` into a plain table of a fresh database file, no validation:
 * the physical reference. "share" = DuckDB's time ÷ our time on the same file (our rate as a share
 * of DuckDB's, counted in the same rows). The ServiceNow reference reads the CSV unzipped to the
 * temporary folder (DuckDB does not read zips); its rows are events, ours the incidents they make.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/ingest.bench.ts [--count N] [--repeat R]
 *   [--peer-csv FILE (reuse a generated peer file)] [--servicenow ZIP] [--results]
 * (`--results` appends the table to bench/RESULTS.md under "## Ingestion".)
 * Goals (issue 14): Parquet ≥ 1 M incidents/s, CSV and NDJSON ≥ 300 k/s.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { type IngestFormat, openEngine } from '@incident-insights/engine';
import {
  writeSyntheticCsv,
  writeSyntheticNdjson,
  writeSyntheticParquet,
} from '@incident-insights/engine/synth';
import { timed } from './timer.ts';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '1' },
    'peer-csv': { type: 'string' },
    servicenow: { type: 'string', default: resolve(root, '../shared/data/incident_event_log.zip') },
    results: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const repeat = Math.max(1, Number(args.repeat));
const dir = mkdtempSync(join(tmpdir(), 'insights-ingest-bench-'));
const goals: Partial<Record<IngestFormat, number>> = {
  parquet: 1_000_000,
  csv: 300_000,
  ndjson: 300_000,
  servicenow: 300_000,
};

/** One file to ingest: what it is, where, and the DuckDB reader of its raw load. */
interface BenchFile {
  readonly name: string;
  readonly format: IngestFormat;
  readonly path: string;
  /** The file DuckDB reads for the reference (the unzipped CSV for the ServiceNow log). */
  readonly rawPath: string;
}

const rawReader: Record<string, (path: string) => string> = {
  parquet: (p) => `read_parquet(${literal(p)})`,
  csv: (p) => `read_csv(${literal(p)}, header = true)`,
  servicenow: (p) => `read_csv(${literal(p)}, header = true)`,
  ndjson: (p) => `read_json(${literal(p)}, format = 'newline_delimited')`,
};

function literal(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rows: number;
}

/** Best of `repeat` runs, each on a fresh database file; `work` times only the load itself. */
async function best(work: (db: string) => Promise<Run>): Promise<Run> {
  let result: Run = { ms: Number.POSITIVE_INFINITY, cpuMs: 0, rows: 0 };
  for (let r = 0; r < repeat; r++) {
    const db = join(dir, `run-${r}-${Math.random().toString(36).slice(2)}.duckdb`);
    const run = await work(db);
    if (run.ms < result.ms) result = run;
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
  return result;
}

/** Runs statements on a private in-memory DuckDB (file conversions). */
async function duckdb(...statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const sql of statements) await conn.run(sql);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The reference: one DuckDB statement reading the file into a plain table (timed alone). */
async function rawLoad(file: BenchFile, db: string): Promise<Run> {
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    const { ms, cpuMs } = await timed(() =>
      conn.run(`CREATE TABLE raw AS SELECT * FROM ${rawReader[file.format]?.(file.rawPath)}`),
    );
    const reader = await conn.runAndReadAll('SELECT count(*) FROM raw');
    return { ms, cpuMs, rows: Number(reader.getRowsJS()[0]?.[0]) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** `engine.incidents.ingest` on an engine opened beforehand (opening and migrating are not timed). */
async function engineIngest(file: BenchFile, db: string): Promise<Run> {
  const engine = await openEngine({ path: db });
  try {
    const { ms, cpuMs, value } = await timed(() =>
      engine.incidents.ingest({ path: file.path, format: file.format }),
    );
    return { ms, cpuMs, rows: value.received };
  } finally {
    await engine.close();
  }
}

async function prepare(): Promise<BenchFile[]> {
  const files: BenchFile[] = [];
  console.log(`Writing ${count.toLocaleString('en')} synthetic incidents to ${dir} ...`);
  for (const [format, write] of [
    ['parquet', writeSyntheticParquet],
    ['csv', writeSyntheticCsv],
    ['ndjson', writeSyntheticNdjson],
  ] as const) {
    const path = join(dir, `synthetic.${format}`);
    await write(path, { seed: 1, count });
    files.push({ name: 'synthetic', format, path, rawPath: path });
  }
  let peerCsv = args['peer-csv'];
  if (!peerCsv) {
    peerCsv = join(dir, 'peer.csv');
    const generator = resolve(root, '../shared/peers/drf-rest-framework/gen_incidents.py');
    console.log(`Generating ${count.toLocaleString('en')} peer incidents with ${generator} ...`);
    execFileSync('python3', [generator, String(count), peerCsv, '--now', '2026-06-01T00:00:00Z'], {
      stdio: 'inherit',
    });
  }
  // As the issue converted it: DuckDB's own CSV sniffing; NDJSON keeps the cells as written.
  const peerParquet = join(dir, 'peer.parquet');
  const peerNdjson = join(dir, 'peer.ndjson');
  await duckdb(
    `COPY (SELECT * FROM read_csv(${literal(peerCsv)})) TO ${literal(peerParquet)} (FORMAT parquet)`,
    `COPY (SELECT * FROM read_csv(${literal(peerCsv)}, all_varchar = true)) TO ${literal(peerNdjson)} (FORMAT json)`,
  );
  files.push({ name: 'peer (gen_incidents.py)', format: 'parquet', path: peerParquet, rawPath: peerParquet });
  files.push({ name: 'peer (gen_incidents.py)', format: 'csv', path: peerCsv, rawPath: peerCsv });
  files.push({ name: 'peer (gen_incidents.py)', format: 'ndjson', path: peerNdjson, rawPath: peerNdjson });
  if (existsSync(args.servicenow)) {
    execFileSync('unzip', ['-q', '-o', args.servicenow, '-d', dir]);
    const unzipped = join(dir, 'incident_event_log.csv');
    files.push({
      name: 'ServiceNow event log',
      format: 'servicenow',
      path: args.servicenow,
      rawPath: unzipped,
    });
  } else {
    console.log(`No ServiceNow log at ${args.servicenow}: left out.`);
  }
  return files;
}

const rows: string[] = [];
const loads: string[] = [];
try {
  const files = await prepare();
  loads.push(loadavg()[0]!.toFixed(1));
  for (const file of files) {
    const raw = await best((db) => rawLoad(file, db));
    const ingest = await best((db) => engineIngest(file, db));
    loads.push(loadavg()[0]!.toFixed(1));
    const rate = ingest.rows / (ingest.ms / 1000);
    const rawRate = raw.rows / (raw.ms / 1000);
    const goal = goals[file.format];
    const verdict =
      goal === undefined
        ? '-'
        : rate >= goal
          ? `met (≥ ${goal / 1000} k/s)`
          : `missed (< ${goal / 1000} k/s)`;
    const size = (statSync(file.path).size / 1e6).toFixed(0);
    const row = `| ${file.name} | ${file.format} | ${size} MB | ${ingest.rows.toLocaleString('en')} | ${(ingest.ms / 1000).toFixed(2)} s (${(ingest.cpuMs / 1000).toFixed(1)} s) | ${Math.round(rate).toLocaleString('en')} | ${(raw.ms / 1000).toFixed(2)} s (${(raw.cpuMs / 1000).toFixed(1)} s) | ${Math.round(rawRate).toLocaleString('en')} | ${Math.round((100 * raw.ms) / ingest.ms)} % | ${verdict} |`;
    rows.push(row);
    console.log(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header = [
  '| file | format | size | rows | ingest, wall (CPU) | rows/s | DuckDB raw load, wall (CPU) | rows/s | share of raw | goal |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
const table = [...header, ...rows].join('\n');
console.log(`\n${table}\n\nload average (1 min) at the start and after each file: ${loads.join(', ')}`);
if (args.results) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    '',
    '## Ingestion',
    '',
    `${new Date().toISOString().slice(0, 16)} UTC, ${count.toLocaleString('en')} incidents per generated file, best of ${repeat}, ` +
      `Node ${process.version}, ${availableParallelism()} cores (${cpu}); load average ${loads.join(', ')}.`,
    '',
    'Command: `npx tsx --conditions=@incident-insights/source bench/ingest.bench.ts --results`',
    '',
    table,
    '',
  ].join('\n');
  appendFileSync(resolve(import.meta.dirname, 'RESULTS.md'), section);
  console.log('Appended to bench/RESULTS.md');
}
