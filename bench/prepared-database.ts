/**
 * The large synthetic databases the benchmarks share the making of: generated once (seed 1, ending
 * at the hour it is built, through a Parquet file and `engine.incidents.ingest`) into a folder that
 * later runs reuse, then copied fresh for each measurement.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Engine, openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { writeSyntheticParquet } from '@incident-insights/engine/synth';
import { timed } from './timer.ts';

/** A prepared database: its file and the instant its data ends (ISO 8601). */
export interface Prepared {
  readonly db: string;
  readonly end: string;
}

/**
 * The database of `count` incidents over `days` days in `dir`, built on the first call and read
 * back from `dir/prepared.json` afterwards. `setup` adds what one benchmark needs (users, cost
 * models, rows) with the engine's clock at the data's end; what it returns is kept with the rest.
 */
export async function preparedDatabase<Extra extends object = object>(options: {
  readonly dir: string;
  readonly count: number;
  readonly days: number;
  readonly log: (line: string) => void;
  readonly setup?: (engine: Engine, end: Date) => Promise<Extra>;
}): Promise<Prepared & Extra> {
  const { dir, count, days, log } = options;
  const marker = join(dir, 'prepared.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as Prepared & Extra;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const parquet = join(dir, 'incidents.parquet');
  const written = await timed(() => writeSyntheticParquet(parquet, { seed: 1, count, days, end }));
  log(`generated ${count} incidents over ${days} days in ${(written.ms / 1000).toFixed(1)} s`);
  const db = join(dir, 'pristine.duckdb');
  const engine = await openEngine({ path: db, now: () => end });
  try {
    const ingest = await timed(() => engine.incidents.ingest({ path: parquet, format: 'parquet' }));
    log(`ingested in ${(ingest.ms / 1000).toFixed(1)} s`);
    const extra = (await options.setup?.(engine, end)) ?? ({} as Extra);
    const prepared = { ...extra, db, end: end.toISOString() };
    writeFileSync(marker, JSON.stringify(prepared));
    return prepared;
  } finally {
    await engine.close();
    rmSync(parquet, { force: true });
  }
}

/** A fresh copy of a prepared database at `target`, without the write-ahead log of an earlier copy. */
export function freshCopy(source: string, target: string): void {
  rmSync(`${target}.wal`, { force: true });
  copyFileSync(source, target);
  if (existsSync(`${source}.wal`)) copyFileSync(`${source}.wal`, `${target}.wal`);
}

/**
 * Analyses for benchmarks that read them rather than compute them: a DOWNTIME cost analysis per
 * resolved incident (100 USD an hour) and 5,000 hourly anomalies spread over the `days` before
 * `end`, on the all-incidents series and, one in three, on a category's.
 */
export async function writeBenchAnalyses(engine: Engine, end: Date, days: number): Promise<void> {
  const sql = internalContext(engine).db;
  await sql.run(
    `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, calculation_method, created_at, updated_at)
     SELECT uuid(), id, 'DOWNTIME', round(date_diff('second', created_at, resolved_at) / 36.0, 2)::DECIMAL(18, 2),
            'bench: 100 USD an hour', $end, $end
     FROM incidents WHERE resolved_at IS NOT NULL`,
    { end },
  );
  await sql.run(
    `WITH services AS (SELECT list(DISTINCT service ORDER BY service) AS s FROM incidents WHERE service IS NOT NULL),
          categories AS (SELECT list(DISTINCT category ORDER BY category) AS c FROM incidents WHERE category IS NOT NULL)
     INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, confidence_score, anomaly_score,
       detected_at, time_window_start, time_window_end, affected_services)
     SELECT uuid(), 'STATISTICAL', 'HIGH', 'DETECTED',
            CASE WHEN i % 3 = 0 THEN 'incident_count:hour:category=' || c[1 + (i % len(c))] ELSE 'incident_count:hour:all' END,
            0.9, 4, t, t, t + INTERVAL 1 HOUR, s[1 + (i % len(s)) : 1 + (i % len(s)) + (i % 3)]
     FROM range(5000) r(i), services, categories,
          LATERAL (SELECT $end::TIMESTAMP - to_microseconds(((i * 7919) % ($days * 86400))::BIGINT * 1000000) AS t)`,
    { end, days },
  );
}
