import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database, SqlParams } from '../../store/database.ts';
import type { SeriesInput } from '../detect/detect.ts';
import { ownDataStartIndex } from './data-start.ts';

/** Bucket width of a series. */
export type Granularity = 'hour' | 'day';

/** Which incidents a series counts: one service, category or severity, or all of them. */
export type SliceKind = 'service' | 'category' | 'severity' | 'team' | 'all';

/** A metric the run builds series of. */
export type SeriesMetric = 'incident_count' | 'mtta_minutes' | 'mttr_hours' | 'escalation_rate' | 'cost';

/** An incident series with what it measures, so detections can be told back in words. */
export interface IncidentSeries extends SeriesInput {
  readonly metric: SeriesMetric;
  readonly granularity: Granularity;
  readonly slice: SliceKind;
  /** The service, category or severity; `null` for `all`. */
  readonly sliceValue: string | null;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/** Milliseconds of a bucket. */
export const bucketMs: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };

/** Unit words used in descriptions. */
export const metricUnits: Record<SeriesMetric, string> = {
  incident_count: 'incidents',
  mtta_minutes: 'min',
  mttr_hours: 'h',
  escalation_rate: '%',
  cost: 'USD',
};

/** The key of a series: `<metric>:<granularity>:<slice>=<value>` or `<metric>:<granularity>:all`. */
function seriesKey(
  metric: SeriesMetric,
  granularity: Granularity,
  slice: SliceKind,
  value: string | null,
): string {
  return `${metric}:${granularity}:${slice === 'all' ? 'all' : `${slice}=${value ?? ''}`}`;
}

/** Whitelisted slice columns; never taken from a request. */
const sliceColumn: Record<Exclude<SliceKind, 'all'>, string> = {
  service: 'service',
  category: 'category',
  severity: 'severity',
  team: 'team',
};

/** Share of a day's incidents that must be acknowledged (resolved) for its MTTA (MTTR) to count. */
const settledShare = 0.95;

/** Floors an instant to its bucket (UTC). */
function floorTo(date: Date, granularity: Granularity): Date {
  const ms = bucketMs[granularity];
  return new Date(Math.floor(date.getTime() / ms) * ms);
}

/**
 * Builds every incident series the run examines over complete buckets in `[from, to)`: incident
 * counts per service, category and severity (and in total) by hour and by day; MTTA (minutes),
 * MTTR (hours), escalation rate (%) and cost (sum of `cost_analyses.cost_amount` of incidents
 * created that day, when any exist) by day. Empty count buckets are zero; a day without samples of
 * a mean or rate is NaN (missing), and so is an MTTA or MTTR day whose incidents are not yet 95%
 * acknowledged or resolved: the mean of the few settled ones would be biased short (right
 * censoring), which would look like an improvement at the end of every data set. Slices with fewer
 * than `minSliceIncidents` incidents are left to the totals. A count series starts on the UTC day
 * of its own first incident in the range: the days before a slice had any incident are unknown,
 * not calm (see `ownDataStartIndex`).
 */
export async function buildIncidentSeries(
  db: Database,
  range: { from: Date; to: Date },
  minSliceIncidents: number,
): Promise<IncidentSeries[]> {
  const out: IncidentSeries[] = [];
  for (const granularity of ['hour', 'day'] as const) {
    const from = floorTo(range.from, granularity);
    const to = floorTo(range.to, granularity);
    if (to.getTime() - from.getTime() < 3 * bucketMs[granularity]) continue;
    for (const slice of ['service', 'category', 'severity', 'all'] as const) {
      out.push(...(await countSeries(db, granularity, slice, from, to, minSliceIncidents)));
    }
  }
  const from = floorTo(range.from, 'day');
  const to = floorTo(range.to, 'day');
  if (to.getTime() - from.getTime() >= 3 * bucketMs.day) {
    out.push(
      ...(await dailySeries(
        db,
        'mtta_minutes',
        `CASE WHEN avg((acknowledged_at IS NOT NULL)::INT) >= ${settledShare}
           THEN avg(epoch(acknowledged_at) - epoch(created_at)) / 60.0 END`,
        'true',
        from,
        to,
      )),
      ...(await dailySeries(
        db,
        'mttr_hours',
        `CASE WHEN avg((resolved_at IS NOT NULL)::INT) >= ${settledShare}
           THEN avg(epoch(resolved_at) - epoch(created_at)) / 3600.0 END`,
        'true',
        from,
        to,
      )),
      ...(await dailySeries(
        db,
        'escalation_rate',
        '100.0 * avg((escalation_level > 0)::INT)',
        'true',
        from,
        to,
      )),
    );
    const costRows = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM cost_analyses');
    if (Number(costRows?.n ?? 0) > 0) out.push(...(await costSeries(db, from, to)));
  }
  return out;
}

async function countSeries(
  db: Database,
  granularity: Granularity,
  slice: SliceKind,
  from: Date,
  to: Date,
  minSliceIncidents: number,
): Promise<IncidentSeries[]> {
  const sliceExpr = slice === 'all' ? "'all'" : sliceColumn[slice];
  const interval = granularity === 'hour' ? 'INTERVAL 1 HOUR' : 'INTERVAL 1 DAY';
  const buckets = Math.round((to.getTime() - from.getTime()) / bucketMs[granularity]);
  // Every slice gets every bucket (cross join), ordered by slice then time, so slice k occupies
  // rows [k·buckets, (k+1)·buckets) and the columns split into series without per-row objects.
  const table = await queryArrow(
    db,
    `WITH b AS (SELECT unnest(range($from::TIMESTAMP, $to::TIMESTAMP, ${interval})) AS bucket),
     inc AS (SELECT date_trunc('${granularity}', created_at) AS bucket, ${sliceExpr}::VARCHAR AS slice FROM incidents
             WHERE created_at >= $from AND created_at < $to AND ${sliceExpr} IS NOT NULL),
     s AS (SELECT slice FROM inc GROUP BY slice HAVING count(*) >= $min),
     c AS (SELECT slice, bucket, count(*)::DOUBLE AS n FROM inc GROUP BY ALL)
     SELECT s.slice, epoch_ms(b.bucket)::DOUBLE AS ts, coalesce(c.n, 0)::DOUBLE AS v
     FROM s CROSS JOIN b LEFT JOIN c ON c.slice = s.slice AND c.bucket = b.bucket
     ORDER BY s.slice, b.bucket`,
    { from, to, min: slice === 'all' ? 1 : minSliceIncidents },
  );
  const names = table.getChild('slice');
  const ts = table.getChild('ts')?.toArray() as Float64Array | undefined;
  const vs = table.getChild('v')?.toArray() as Float64Array | undefined;
  if (!names || !ts || !vs || buckets === 0) return [];
  const out: IncidentSeries[] = [];
  for (let k = 0; k * buckets < table.numRows; k++) {
    const value = slice === 'all' ? null : String(names.get(k * buckets));
    const first =
      k * buckets +
      ownDataStartIndex(
        ts.subarray(k * buckets, (k + 1) * buckets),
        vs.subarray(k * buckets, (k + 1) * buckets),
      );
    if ((k + 1) * buckets - first < 3) continue;
    out.push({
      key: seriesKey('incident_count', granularity, slice, value),
      metric: 'incident_count',
      granularity,
      slice,
      sliceValue: value,
      timestamps: ts.slice(first, (k + 1) * buckets),
      values: vs.slice(first, (k + 1) * buckets),
    });
  }
  return out;
}

async function dailySeries(
  db: Database,
  metric: SeriesMetric,
  aggregate: string,
  where: string,
  from: Date,
  to: Date,
): Promise<IncidentSeries[]> {
  return readDaily(
    db,
    metric,
    `SELECT date_trunc('day', created_at) AS bucket, (${aggregate})::DOUBLE AS v FROM incidents
     WHERE created_at >= $from AND created_at < $to AND ${where} GROUP BY ALL`,
    { from, to },
    Number.NaN,
  );
}

async function costSeries(db: Database, from: Date, to: Date): Promise<IncidentSeries[]> {
  return readDaily(
    db,
    'cost',
    `SELECT date_trunc('day', i.created_at) AS bucket, sum(c.cost_amount)::DOUBLE AS v
     FROM cost_analyses c JOIN incidents i ON i.id = c.incident_id
     WHERE i.created_at >= $from AND i.created_at < $to GROUP BY ALL`,
    { from, to },
    0,
  );
}

async function readDaily(
  db: Database,
  metric: SeriesMetric,
  valuesSql: string,
  params: SqlParams,
  empty: number,
): Promise<IncidentSeries[]> {
  const table = await queryArrow(
    db,
    `WITH b AS (SELECT unnest(range($from::TIMESTAMP, $to::TIMESTAMP, INTERVAL 1 DAY)) AS bucket),
     v AS (${valuesSql})
     SELECT epoch_ms(b.bucket)::DOUBLE AS ts, coalesce(v.v, $empty::DOUBLE) AS v
     FROM b LEFT JOIN v ON v.bucket = b.bucket ORDER BY b.bucket`,
    { ...params, empty: Number.isNaN(empty) ? 'NaN' : String(empty) },
  );
  const timestamps = table.getChild('ts')?.toArray() as Float64Array | undefined;
  const values = table.getChild('v')?.toArray() as Float64Array | undefined;
  if (!timestamps || !values || values.length === 0 || values.every((v) => Number.isNaN(v))) return [];
  return [
    {
      key: seriesKey(metric, 'day', 'all', null),
      metric,
      granularity: 'day',
      slice: 'all',
      sliceValue: null,
      timestamps: Float64Array.from(timestamps),
      values: Float64Array.from(values),
    },
  ];
}
