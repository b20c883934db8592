/**
 * Ingestion throughput: N synthetic incidents (default 1,000,000) written once to Parquet, CSV and
 * NDJSON in a temporary folder, then `engine.incidents.ingest({ path })` of each into a fresh
 * temporary database file, timed. Baseline, measured in the same run on the same files: DuckDB's
 * own `CREATE TABLE … AS SELECT * FROM read_parquet/read_csv/read_json(…)` into a plain table of a
 * fresh database file, with no validation or upsert: the ceiling.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/ingest.bench.ts [--count N] [--repeat R] [--results]
 * (`--results` appends the table to bench/RESULTS.md under "## Ingestion".)
 * Goals (issue 2): Parquet ≥ 1 M incidents/s, CSV ≥ 300 k/s.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEngine } from '@incident-insights/engine';
import {
  type SyntheticFile,
  writeSyntheticCsv,
  writeSyntheticNdjson,
  writeSyntheticParquet,
} from '@incident-insights/engine/synth';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '1' },
    results: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const repeat = Math.max(1, Number(args.repeat));
const dir = mkdtempSync(join(tmpdir(), 'insights-ingest-bench-'));
const goals: Record<string, number> = { parquet: 1_000_000, csv: 300_000 };
const rawReader: Record<string, (path: string) => string> = {
  parquet: (p) => `read_parquet(${literal(p)})`,
  csv: (p) => `read_csv(${literal(p)}, header = true)`,
  ndjson: (p) => `read_json(${literal(p)}, format = 'newline_delimited')`,
};

function literal(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** Best of `repeat` runs, each on a fresh database file; `work` times only the load itself. */
async function best(
  work: (db: string) => Promise<{ ms: number; rows: number }>,
): Promise<{ ms: number; rows: number }> {
  let result = { ms: Number.POSITIVE_INFINITY, rows: 0 };
  for (let r = 0; r < repeat; r++) {
    const db = join(dir, `run-${r}-${Math.random().toString(36).slice(2)}.duckdb`);
    const run = await work(db);
    if (run.ms < result.ms) result = run;
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
  return result;
}

/** The ceiling: one DuckDB statement reading the file into a plain table (timed alone). */
async function rawLoad(file: SyntheticFile, db: string): Promise<{ ms: number; rows: number }> {
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    const { ms } = await timed(() =>
      conn.run(`CREATE TABLE raw AS SELECT * FROM ${rawReader[file.format]?.(file.path)}`),
    );
    const reader = await conn.runAndReadAll('SELECT count(*) FROM raw');
    return { ms, rows: Number(reader.getRowsJS()[0]?.[0]) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** `engine.incidents.ingest` on an engine opened beforehand (opening and migrating are not timed). */
async function engineIngest(file: SyntheticFile, db: string): Promise<{ ms: number; rows: number }> {
  const engine = await openEngine({ path: db });
  try {
    const { ms, value } = await timed(() =>
      engine.incidents.ingest({ path: file.path, format: file.format }),
    );
    return { ms, rows: value.inserted + value.updated };
  } finally {
    await engine.close();
  }
}

const rows: string[] = [];
try {
  console.log(`Writing ${count.toLocaleString('en')} synthetic incidents to ${dir} ...`);
  const files: SyntheticFile[] = [];
  for (const [name, write] of [
    ['parquet', writeSyntheticParquet],
    ['csv', writeSyntheticCsv],
    ['ndjson', writeSyntheticNdjson],
  ] as const) {
    const { ms, value } = await timed(() => write(join(dir, `incidents.${name}`), { seed: 1, count }));
    files.push(value);
    console.log(`  ${name}: ${(value.bytes / 1e6).toFixed(0)} MB written in ${(ms / 1000).toFixed(1)} s`);
  }
  for (const file of files) {
    const raw = await best((db) => rawLoad(file, db));
    const ingest = await best((db) => engineIngest(file, db));
    // A wrong row count is reported in the table instead of a rate that would mean nothing.
    const wrong =
      ingest.rows !== count || raw.rows !== count
        ? `WRONG: ingest stored ${ingest.rows}, raw ${raw.rows} of ${count}`
        : undefined;
    const rate = count / (ingest.ms / 1000);
    const rawRate = count / (raw.ms / 1000);
    const goal = goals[file.format];
    const verdict =
      wrong ??
      (goal === undefined
        ? '-'
        : rate >= goal
          ? `met (≥ ${goal / 1000} k/s)`
          : `missed (< ${goal / 1000} k/s)`);
    const row = `| ${file.format} | ${(file.bytes / 1e6).toFixed(0)} MB | ${(ingest.ms / 1000).toFixed(2)} s | ${Math.round(rate).toLocaleString('en')} | ${(raw.ms / 1000).toFixed(2)} s | ${Math.round(rawRate).toLocaleString('en')} | ${(ingest.ms / raw.ms).toFixed(1)}x | ${verdict} |`;
    rows.push(row);
    console.log(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header = [
  '| format | file | ingest | incidents/s | DuckDB raw load | rows/s | ingest / raw | goal |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
const table = [...header, ...rows].join('\n');
console.log(`\n${table}`);
if (args.results) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    '',
    '## Ingestion',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${count.toLocaleString('en')} synthetic incidents (seed 1, 90 days), best of ${repeat}, ` +
      `Node ${process.version}, ${availableParallelism()} cores (${cpu}).`,
    '`ingest` = the `engine.incidents.ingest({ path, format })` call on a fresh database file (read, validate, ' +
      'stage, upsert by external id, commit); `DuckDB raw load` = the one statement ' +
      '`CREATE TABLE raw AS SELECT * FROM read_*(file)` on a fresh file, no validation: the ceiling.',
    '',
    'Command: `npx tsx --conditions=@incident-insights/source bench/ingest.bench.ts --results`',
    '',
    table,
    '',
  ].join('\n');
  appendFileSync(resolve(import.meta.dirname, 'RESULTS.md'), section);
  console.log('Appended to bench/RESULTS.md');
}
