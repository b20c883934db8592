import { createHash } from 'node:crypto';
import type { MetricType } from '../schema/enums.ts';
import type { Database, SqlValue, Transaction } from '../store/database.ts';
import { usedParams } from './calculator.ts';
import { addBin, minIndexableValue, type Sketch, sketchGamma, zeroBin } from './dd-sketch.ts';
import { compileLeaves } from './formula/compile.ts';
import { type FormulaNode, formulaMetrics } from './formula/parser.ts';
import { filterSql } from './incident-filter.ts';
import type { StoredMetric } from './metric-store.ts';

/** Types whose samples are per incident or per bucket, so hourly rollups can serve them. */
export type RollupType = 'MTTA' | 'MTTR' | 'INCIDENT_COUNT' | 'RESOLUTION_RATE' | 'ESCALATION_RATE';

/** True for a type that hourly rollups serve (interval and per-service types are computed per window). */
export function isRollupType(type: MetricType): type is RollupType {
  return (
    type === 'MTTA' ||
    type === 'MTTR' ||
    type === 'INCIDENT_COUNT' ||
    type === 'RESOLUTION_RATE' ||
    type === 'ESCALATION_RATE'
  );
}

/** One stream of hourly aggregates kept for a metric. */
interface SeriesDef {
  readonly series: number;
  /** Per-incident sample in base units (seconds, counts), or `null` when only counts are kept. */
  readonly sampleSql: string | null;
  /** Condition counted as the bucket's numerator (rates). */
  readonly hitSql: string;
  readonly params: Record<string, SqlValue>;
}

/** Series number of a metric reference inside a formula. */
export function metricSeries(type: RollupType): number {
  return 100 + formulaMetrics.indexOf(type);
}

function typeSeries(type: RollupType, series: number): SeriesDef {
  switch (type) {
    case 'MTTA':
      return { series, sampleSql: 'epoch(acknowledged_at) - epoch(created_at)', hitSql: 'false', params: {} };
    case 'MTTR':
      return { series, sampleSql: 'epoch(resolved_at) - epoch(created_at)', hitSql: 'false', params: {} };
    case 'INCIDENT_COUNT':
      return { series, sampleSql: null, hitSql: 'true', params: {} };
    case 'RESOLUTION_RATE':
      return { series, sampleSql: null, hitSql: 'resolved_at IS NOT NULL', params: {} };
    case 'ESCALATION_RATE':
      return { series, sampleSql: null, hitSql: 'escalation_level > 0', params: {} };
  }
}

/** The series a metric keeps: series 0 for a plain type; one per aggregate and per referenced type for CUSTOM. */
function seriesOf(metric: StoredMetric, formula: FormulaNode | null): SeriesDef[] {
  if (metric.metric_type !== 'CUSTOM') {
    return isRollupType(metric.metric_type) ? [typeSeries(metric.metric_type, 0)] : [];
  }
  if (!formula) return [];
  const leaves = compileLeaves(formula, 'rx');
  const defs: SeriesDef[] = leaves.aggregates.map((a, i) => ({
    series: i,
    sampleSql: a.valueSql,
    hitSql: 'false',
    params: leaves.params,
  }));
  for (const m of leaves.metrics) if (isRollupType(m)) defs.push(typeSeries(m, metricSeries(m)));
  return defs;
}

/** What a metric's rollups depend on; a change of any of it rebuilds them. */
export function rollupDefinition(metric: StoredMetric): string {
  return JSON.stringify([
    1,
    metric.metric_type,
    metric.calculation_formula,
    metric.incident_categories,
    metric.incident_severities,
    metric.incident_priorities,
    metric.services,
    metric.teams,
  ]);
}

/**
 * The key a metric's rollups are stored under: a UUID derived from {@link rollupDefinition}, so
 * metrics that differ only in aggregation, window or target share one set of hourly rollups.
 */
export function rollupKey(metric: StoredMetric): string {
  const hex = createHash('sha256').update(rollupDefinition(metric)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The incidents table's change marker: row count and newest `updated_at`. */
export interface IncidentsVersion {
  readonly rowCount: number;
  readonly watermark: Date | null;
}

/** Reads {@link IncidentsVersion} (one aggregate over two columns). */
export async function incidentsVersion(db: Database): Promise<IncidentsVersion> {
  const row = await db.one('SELECT count(*) AS n, max(updated_at) AS wm FROM incidents');
  return { rowCount: Number(row?.['n'] ?? 0), watermark: (row?.['wm'] as Date | null) ?? null };
}

/**
 * Brings a metric's hourly rollups up to date with the incidents table, in one transaction.
 * Nothing changed → nothing is read. Rows written since the last refresh (by `updated_at`,
 * which ingestion sets to the write time) → only the hours they were created in are rebuilt,
 * together with the hours the incident writes noted in `kpi_dirty_hours` for this key (old hours
 * of rows whose `created_at` moved, hours of deleted rows), which are then cleared. A changed
 * definition, fewer rows than before (deletions) or no state → full rebuild.
 *
 * @returns what was done, for tests and the benchmark.
 */
export async function refreshRollups(
  db: Database,
  metric: StoredMetric,
  formula: FormulaNode | null,
  version: IncidentsVersion,
  now: Date,
): Promise<'fresh' | 'incremental' | 'rebuilt' | 'none'> {
  const defs = seriesOf(metric, formula);
  if (defs.length === 0) return 'none';
  const definition = rollupDefinition(metric);
  const key = rollupKey(metric);
  return db.transaction(async (tx) => {
    const state = await tx.one(
      `SELECT definition, watermark, row_count,
         EXISTS (SELECT 1 FROM kpi_dirty_hours WHERE metric_id = $id::UUID) AS dirty
       FROM kpi_rollup_state WHERE metric_id = $id::UUID`,
      { id: key },
    );
    const stateWm = (state?.['watermark'] as Date | null | undefined) ?? null;
    const stateRows = Number(state?.['row_count'] ?? -1);
    const same = state?.['definition'] === definition;
    const dirty = state?.['dirty'] === true;
    if (
      same &&
      !dirty &&
      stateRows === version.rowCount &&
      stateWm?.getTime() === version.watermark?.getTime()
    ) {
      return 'fresh';
    }
    let scope: string | null = null;
    const scopeParams: Record<string, SqlValue> = {};
    const incremental =
      same && stateWm !== null && version.rowCount >= stateRows && version.watermark !== null;
    if (incremental) {
      // A newer watermark means a real clock moved on: rows at the old watermark were seen already.
      const op = version.watermark!.getTime() > stateWm.getTime() ? '>' : '>=';
      // Hours of rows written since, plus the hours moved or deleted rows left (kpi_dirty_hours).
      const hours = `SELECT date_trunc('hour', created_at) FROM incidents WHERE updated_at ${op} $since
        UNION SELECT hour FROM kpi_dirty_hours WHERE metric_id = $id::UUID`;
      scope = `date_trunc('hour', created_at) IN (${hours})`;
      scopeParams['since'] = stateWm;
      await run(tx, `DELETE FROM kpi_rollups WHERE metric_id = $id::UUID AND bucket IN (${hours})`, {
        id: key,
        since: stateWm,
      });
      await run(tx, `DELETE FROM kpi_rollup_bins WHERE metric_id = $id::UUID AND bucket IN (${hours})`, {
        id: key,
        since: stateWm,
      });
    } else {
      await run(tx, 'DELETE FROM kpi_rollups WHERE metric_id = $id::UUID', { id: key });
      await run(tx, 'DELETE FROM kpi_rollup_bins WHERE metric_id = $id::UUID', { id: key });
    }
    for (const def of defs) await buildSeries(tx, metric, key, def, scope, scopeParams);
    await run(tx, 'DELETE FROM kpi_dirty_hours WHERE metric_id = $id::UUID', { id: key });
    await run(tx, 'DELETE FROM kpi_rollup_state WHERE metric_id = $id::UUID', { id: key });
    await run(tx, 'INSERT INTO kpi_rollup_state VALUES ($id::UUID, $def, $wm, $n, $now)', {
      id: key,
      def: definition,
      wm: version.watermark ?? undefined,
      n: version.rowCount,
      now,
    });
    return incremental ? 'incremental' : 'rebuilt';
  });
}

async function buildSeries(
  tx: Transaction,
  metric: StoredMetric,
  key: string,
  def: SeriesDef,
  scope: string | null,
  scopeParams: Record<string, SqlValue>,
): Promise<void> {
  const params: Record<string, SqlValue> = {
    ...def.params,
    ...scopeParams,
    id: key,
    series: def.series,
  };
  const where = filterSql(metric, params);
  const source = `SELECT date_trunc('hour', created_at) AS bucket, ${def.sampleSql ?? 'CAST(NULL AS DOUBLE)'} AS x,
      ${def.hitSql} AS h FROM incidents WHERE ${where}${scope ? ` AND ${scope}` : ''}`;
  await run(
    tx,
    `INSERT INTO kpi_rollups SELECT $id::UUID, $series, bucket, count(*), count(*) FILTER (WHERE h),
       count(x), sum(x), min(x), max(x) FROM (${source}) GROUP BY bucket ORDER BY bucket`,
    params,
  );
  if (def.sampleSql === null) return;
  await run(
    tx,
    `INSERT INTO kpi_rollup_bins SELECT $id::UUID, $series, bucket,
       CASE WHEN x >= $minv THEN CAST(ceil(ln(x) / $lngamma) AS INTEGER) ELSE $zerobin END AS bin, count(*),
       min(x), max(x)
     FROM (${source}) WHERE x IS NOT NULL GROUP BY bucket, bin ORDER BY bucket, bin`,
    { ...params, minv: minIndexableValue, lngamma: Math.log(sketchGamma), zerobin: zeroBin },
  );
}

async function run(tx: Transaction, sql: string, params: Record<string, SqlValue>): Promise<void> {
  await tx.run(sql, usedParams(sql, params));
}

/** Hourly aggregates of one series over a range, as read back for a summary. */
export interface SeriesWindow {
  incidentCount: number;
  numerator: number;
  sampleCount: number;
  sampleSum: number;
  sampleMin: number | null;
  sampleMax: number | null;
  /** Incident and numerator counts per hour, indexed from the range start. */
  hourlyIncidents: Float64Array;
  hourlyNumerator: Float64Array;
  sketch: Sketch;
}

/** One hour-aligned window `[start, end)` of a rollup key ({@link rollupKey}) to read. */
export interface WindowRequest {
  readonly key: string;
  readonly start: Date;
  readonly end: Date;
  /** Also read the per-hour counts (per-bucket aggregations: counts and rates). */
  readonly hourly: boolean;
  /** Also read and merge the sketch bins (median and percentiles). */
  readonly sketch: boolean;
}

/** A window of `hours` hourly buckets with no incident in it. */
export function emptySeriesWindow(hours: number): SeriesWindow {
  return {
    incidentCount: 0,
    numerator: 0,
    sampleCount: 0,
    sampleSum: 0,
    sampleMin: null,
    sampleMax: null,
    hourlyIncidents: new Float64Array(hours),
    hourlyNumerator: new Float64Array(hours),
    sketch: new Map(),
  };
}

/**
 * Reads every series of every requested window, merging the hourly sketches: at most three
 * statements whatever the number of windows (totals, per-hour counts, sketch bins), run side by
 * side on reader connections. Each window is one `UNION ALL` branch with its own constant range,
 * so DuckDB prunes row groups by `metric_id` and `bucket` per branch and touches only the rollup
 * rows of those ranges.
 *
 * @returns per request (same order), series number → merged window; series with no rows are absent.
 */
export async function readSeriesWindows(
  db: Database,
  requests: readonly WindowRequest[],
): Promise<Map<number, SeriesWindow>[]> {
  const out = requests.map(() => new Map<number, SeriesWindow>());
  if (requests.length === 0) return out;
  const statement = (
    wanted: (r: WindowRequest) => boolean,
    branch: (i: number) => string,
  ): Promise<Record<string, unknown>[]> => {
    const params: Record<string, SqlValue> = {};
    const branches: string[] = [];
    requests.forEach((r, i) => {
      if (!wanted(r)) return;
      params[`k${i}`] = r.key;
      params[`s${i}`] = r.start;
      params[`e${i}`] = r.end;
      branches.push(branch(i));
    });
    return branches.length === 0 ? Promise.resolve([]) : db.all(branches.join('\nUNION ALL\n'), params);
  };
  const range = (i: number) => `metric_id = $k${i}::UUID AND bucket >= $s${i} AND bucket < $e${i}`;
  // Totals are summed in SQL; per-hour rows are read only for the hours that have incidents.
  const [totals, rows, bins] = await Promise.all([
    statement(
      () => true,
      (i) => `SELECT ${i} AS w, series, sum(incident_count) AS n, sum(numerator) AS k, sum(sample_count) AS c,
         sum(sample_sum) AS s, min(sample_min) AS lo, max(sample_max) AS hi
       FROM kpi_rollups WHERE ${range(i)} GROUP BY series`,
    ),
    statement(
      (r) => r.hourly,
      (i) => `SELECT ${i} AS w, series, CAST((epoch(bucket) - epoch($s${i})) / 3600 AS INTEGER) AS h,
         incident_count, numerator
       FROM kpi_rollups WHERE ${range(i)} AND incident_count > 0`,
    ),
    statement(
      (r) => r.sketch,
      (i) => `SELECT ${i} AS w, series, bin, sum(n) AS n, min(xmin) AS xmin, max(xmax) AS xmax
       FROM kpi_rollup_bins WHERE ${range(i)} GROUP BY series, bin`,
    ),
  ]);
  const get = (row: Record<string, unknown>): SeriesWindow => {
    const w = Number(row['w']);
    const series = Number(row['series']);
    const windows = out[w] as Map<number, SeriesWindow>;
    let window = windows.get(series);
    if (!window) {
      const r = requests[w] as WindowRequest;
      window = emptySeriesWindow(Math.round((r.end.getTime() - r.start.getTime()) / 3_600_000));
      windows.set(series, window);
    }
    return window;
  };
  for (const t of totals) {
    const w = get(t);
    w.incidentCount = Number(t['n'] ?? 0);
    w.numerator = Number(t['k'] ?? 0);
    w.sampleCount = Number(t['c'] ?? 0);
    w.sampleSum = Number(t['s'] ?? 0);
    w.sampleMin = t['lo'] === null ? null : Number(t['lo']);
    w.sampleMax = t['hi'] === null ? null : Number(t['hi']);
  }
  for (const r of rows) {
    const w = get(r);
    const h = Number(r['h']);
    w.hourlyIncidents[h] = (w.hourlyIncidents[h] ?? 0) + Number(r['incident_count']);
    w.hourlyNumerator[h] = (w.hourlyNumerator[h] ?? 0) + Number(r['numerator']);
  }
  for (const b of bins) {
    addBin(get(b).sketch, Number(b['bin']), {
      n: Number(b['n']),
      min: Number(b['xmin']),
      max: Number(b['xmax']),
    });
  }
  return out;
}
