/**
 * One side of `bench/incident-point-reads.ts`: a fresh database file with or without the index on
 * `incidents(id)`, the same synthetic file ingested into it, then reads, writes and upserts by id,
 * each timed (wall and CPU milliseconds of the whole process, DuckDB's threads included).
 */
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { type Engine, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import {
  incidentIdIndexMigration,
  incidentIdIndexName,
} from '../../packages/engine/src/store/migrations/v8-incident-id-index.ts';
import { timed } from '../timer.ts';

/** Which side: the index as the migrations create it, or dropped before the ingest (the baseline). */
export type IndexMode = 'with-index' | 'without-index';

/** What {@link measureSide} is given. */
export interface SideOptions {
  readonly mode: IndexMode;
  /** The synthetic Parquet file to ingest. */
  readonly parquet: string;
  /** A Parquet file of rows already in `parquet` (changed), upserted at the end (the MERGE path). */
  readonly upsertParquet: string;
  /** The database file to create (removed first). */
  readonly database: string;
  /** Incidents read once cold, then again warm, one at a time. */
  readonly reads: number;
  /** Other incidents read cold by {@link concurrency} callers at once, as the server's connections. */
  readonly concurrentReads: number;
  readonly concurrency: number;
  /** Incidents updated, then as many deleted, one at a time. */
  readonly writes: number;
  /** The engine's clock (pinned, so both sides store the same `ingested_at`). */
  readonly now: Date;
}

/** Wall and CPU milliseconds an operation, over `count` operations. */
export interface PerOperation {
  readonly count: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The 99th percentile of the single operations' wall times (nearest rank), when timed one by one. */
  readonly p99WallMs?: number;
}

/** Everything one side measured. */
export interface SideResult {
  readonly mode: IndexMode;
  readonly incidents: number;
  readonly ingest: { readonly wallMs: number; readonly cpuMs: number; readonly peakRssMb: number };
  readonly fileMb: number;
  readonly openWallMs: number;
  /** The first read after opening (loads what the read touches, the index included), not counted below. */
  readonly firstReadWallMs: number;
  /** The scan DuckDB ran for the point read (`Index Scan` or `Sequential Scan`), from EXPLAIN ANALYZE. */
  readonly pointReadScan: string;
  readonly coldRead: PerOperation;
  readonly warmRead: PerOperation;
  /** Reads a second and the operation figures of the concurrent cold reads. */
  readonly concurrentRead: PerOperation & { readonly callers: number; readonly perSecond: number };
  readonly update: PerOperation;
  readonly delete: PerOperation;
  readonly upsert: { readonly rows: number; readonly wallMs: number; readonly cpuMs: number };
  /** SHA-256 of the answers of the cold reads keyed by external id, the generated ids left out. */
  readonly answersDigest: string;
  /** Building the index on the ingested rows (the migration on an existing database); baseline only. */
  readonly createIndex?: { readonly wallMs: number; readonly cpuMs: number };
  readonly peakRssMb: number;
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The 99th percentile by nearest rank (the value at rank ceil(0.99 n)). */
export function p99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN;
}

/** Times `work` once per item, one after another; also the 99th percentile of the single wall times. */
async function eachTimed<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<PerOperation> {
  const walls: number[] = [];
  const total = await timed(async () => {
    for (const item of items) walls.push((await timed(() => work(item))).ms);
  });
  const n = items.length;
  return { count: n, wallMs: total.ms / n, cpuMs: total.cpuMs / n, p99WallMs: p99(walls) };
}

/** The incidents whose ids the side reads and writes: chosen by a hash of the external id, so the same incidents on both sides. */
async function sampleIds(engine: Engine, count: number): Promise<{ external_id: string; id: string }[]> {
  return internalContext(engine).db.all<{ external_id: string; id: string }>(
    `SELECT external_id, CAST(id AS VARCHAR) AS id FROM incidents ORDER BY hash(external_id), external_id LIMIT $n`,
    { n: count },
  );
}

/** The scan DuckDB runs for the engine's point read of `id`. */
async function pointReadScan(engine: Engine, sql: string, id: string): Promise<string> {
  const rows = await internalContext(engine).db.all<{ explain_value: string }>(`EXPLAIN ANALYZE ${sql}`, {
    id,
  });
  return /Type: (\w+ Scan)/.exec(rows.map((r) => r.explain_value).join('\n'))?.[1] ?? 'unknown';
}

/**
 * Measures one side (see the file's header). `pointReadSql` is the engine's point read, for the
 * EXPLAIN ANALYZE check.
 */
export async function measureSide(options: SideOptions, pointReadSql: string): Promise<SideResult> {
  const { mode, database } = options;
  rmSync(database, { force: true });
  rmSync(`${database}.wal`, { force: true });
  const now = () => options.now;
  let engine = await openEngine({ path: database, now });
  if (mode === 'without-index')
    await internalContext(engine).db.run(`DROP INDEX IF EXISTS ${incidentIdIndexName}`);
  const ingested = await timed(() => engine.incidents.ingest({ path: options.parquet, format: 'parquet' }));
  const ingest = { wallMs: ingested.ms, cpuMs: ingested.cpuMs, peakRssMb: rssMb() };
  const incidents = await engine.incidents.count();
  await engine.close();
  const fileMb = statSync(database).size / 2 ** 20;
  const opened = await timed(() => openEngine({ path: database, now }));
  engine = opened.value;
  try {
    const { reads, concurrentReads, writes } = options;
    const sample = await sampleIds(engine, 1 + reads + concurrentReads + 2 * writes);
    const [warmUp, ...rest] = sample;
    if (!warmUp) throw new Error('no incidents to read');
    const readSet = rest.slice(0, reads);
    const concurrentSet = rest.slice(reads, reads + concurrentReads);
    const updateSet = rest.slice(reads + concurrentReads, reads + concurrentReads + writes);
    const deleteSet = rest.slice(reads + concurrentReads + writes);
    // The first statement of a connection pays for loading what it touches: not a point read's cost.
    const first = await timed(() => engine.incidents.get(warmUp.id));
    const pointScan = await pointReadScan(engine, pointReadSql, warmUp.id);
    const answers = new Map<string, unknown>();
    const coldRead = await eachTimed(readSet, async ({ external_id, id }) => {
      const { id: _generated, ...answer } = await engine.incidents.get(id);
      answers.set(external_id, answer);
    });
    const warmRead = await eachTimed(readSet, ({ id }) => engine.incidents.get(id));
    const queue = [...concurrentSet];
    const concurrent = await timed(async () => {
      const caller = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await engine.incidents.get(next.id);
      };
      await Promise.all(Array.from({ length: options.concurrency }, caller));
    });
    const update = await eachTimed(updateSet, ({ id }) => engine.incidents.update(id, { title: 'Renamed' }));
    const deleted = await eachTimed(deleteSet, ({ id }) => engine.incidents.delete(id));
    const upserted = await timed(() =>
      engine.incidents.ingest({ path: options.upsertParquet, format: 'parquet' }),
    );
    let createIndex: SideResult['createIndex'];
    if (mode === 'without-index') {
      const [createStatement] = incidentIdIndexMigration.statements;
      if (!createStatement) throw new Error('migration 8 has no statement');
      const built = await timed(() => internalContext(engine).db.run(createStatement));
      createIndex = { wallMs: built.ms, cpuMs: built.cpuMs };
    }
    const sorted = [...answers.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const n = concurrentSet.length;
    return {
      mode,
      incidents,
      ingest,
      fileMb,
      openWallMs: opened.ms,
      firstReadWallMs: first.ms,
      pointReadScan: pointScan,
      coldRead,
      warmRead,
      concurrentRead: {
        count: n,
        wallMs: concurrent.ms / n,
        cpuMs: concurrent.cpuMs / n,
        callers: options.concurrency,
        perSecond: (1000 * n) / concurrent.ms,
      },
      update,
      delete: deleted,
      upsert: {
        rows: upserted.value.updated + upserted.value.inserted,
        wallMs: upserted.ms,
        cpuMs: upserted.cpuMs,
      },
      answersDigest: createHash('sha256').update(JSON.stringify(sorted)).digest('hex'),
      ...(createIndex ? { createIndex } : {}),
      peakRssMb: rssMb(),
    };
  } finally {
    await engine.close();
  }
}
