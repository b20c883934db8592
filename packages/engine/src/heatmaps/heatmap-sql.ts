import type { SqlValue } from '../store/database.ts';
import type { HeatmapFilters, HeatmapType, TimeGranularity } from './heatmap-kinds.ts';
import type { HeatmapPeriod } from './heatmap-period.ts';

/** One query and its bound parameters. */
export interface HeatmapQuery {
  readonly sql: string;
  readonly params: Record<string, SqlValue>;
}

/** Row expression by granularity over a fact's `ts` and `dim`; fixed by code. */
const rowKey: Readonly<Record<TimeGranularity, string>> = {
  HOURLY: 'isodow(ts)::INTEGER',
  DAILY: 'dim',
  WEEKLY: 'dim',
  MONTHLY: 'isodow(ts)::INTEGER',
};

/** Column expression by granularity over a fact's `ts`. */
const columnKey: Readonly<Record<TimeGranularity, string>> = {
  HOURLY: 'hour(ts)::INTEGER',
  DAILY: "date_trunc('day', ts)",
  WEEKLY: "date_trunc('week', ts)",
  MONTHLY: "date_trunc('month', ts)",
};

/** Every column of the grid, so that empty cells are there (zero-filled). */
const columnGrid: Readonly<Record<TimeGranularity, string>> = {
  HOURLY: 'SELECT range::INTEGER AS c FROM range(0, 24)',
  DAILY: `SELECT generate_series AS c FROM generate_series(date_trunc('day', $start::TIMESTAMP),
            $end::TIMESTAMP - INTERVAL 1 MICROSECOND, INTERVAL 1 DAY)`,
  // DuckDB's week starts on Monday (ISO).
  WEEKLY: `SELECT generate_series AS c FROM generate_series(date_trunc('week', $start::TIMESTAMP),
            $end::TIMESTAMP - INTERVAL 1 MICROSECOND, INTERVAL 7 DAY)`,
  MONTHLY: `SELECT generate_series AS c FROM generate_series(date_trunc('month', $start::TIMESTAMP),
            $end::TIMESTAMP - INTERVAL 1 MICROSECOND, INTERVAL 1 MONTH)`,
};

/** Every row of the grid: the seven weekdays, or the services (categories) the facts have. */
const rowGrid: Readonly<Record<TimeGranularity, string>> = {
  HOURLY: 'SELECT range::INTEGER AS r, true AS present FROM range(1, 8)',
  DAILY: 'SELECT DISTINCT dim AS r, true AS present FROM facts',
  WEEKLY: 'SELECT DISTINCT dim AS r, true AS present FROM facts',
  MONTHLY: 'SELECT range::INTEGER AS r, true AS present FROM range(1, 8)',
};

/** The cell value from a fact's measure `m`, and how an empty cell reads. */
const cellValue: Readonly<Record<HeatmapType, { aggregate: string; samples: string; empty: string }>> = {
  INCIDENT_FREQUENCY: { aggregate: 'count(*)::DOUBLE', samples: 'count(*)', empty: '0' },
  RESOLUTION_TIME: { aggregate: 'round(avg(m), 4)', samples: 'count(m)', empty: 'NULL' },
  COST_IMPACT: { aggregate: 'round(sum(m), 2)::DOUBLE', samples: 'count(*)', empty: '0' },
  ANOMALY_DENSITY: { aggregate: 'count(*)::DOUBLE', samples: 'count(*)', empty: '0' },
};

/**
 * The incidents of the period that pass the filters, as facts `(id, ts, dim, m)`: `ts` when the
 * incident was created, `dim` its service (DAILY) or category (WEEKLY), `m` what the type
 * measures (1, or resolution hours).
 */
function incidentFacts(type: HeatmapType, granularity: TimeGranularity, filters: HeatmapFilters): string {
  const dim =
    granularity === 'DAILY' ? 'i.service' : granularity === 'WEEKLY' ? 'i.category' : 'NULL::VARCHAR';
  const measure =
    type === 'RESOLUTION_TIME'
      ? "CASE WHEN i.resolved_at IS NOT NULL THEN date_diff('microsecond', i.created_at, i.resolved_at) / 3.6e9 END"
      : '1';
  const where = ['i.created_at >= $start', 'i.created_at < $end'];
  if (filters.service !== undefined) where.push('i.service = $service');
  if (filters.category !== undefined) where.push('i.category = $category');
  if (filters.severity !== undefined) where.push('i.severity = $severity');
  return `SELECT i.id, i.created_at AS ts, ${dim} AS dim, ${measure} AS m FROM incidents i
          WHERE ${where.join(' AND ')}`;
}

/** The category an anomaly's series counts (`...:category=<value>`), else NULL. */
const anomalyCategory = "nullif(regexp_extract(a.series_key, 'category=(.*)$', 1), '')";

/**
 * The anomalies whose window starts in the period and that pass the filters, as facts: `dim` is
 * each affected service (an anomaly of two services counts in both rows; one without any in the
 * NULL row) for DAILY, the category its series counts for WEEKLY.
 */
function anomalyFacts(granularity: TimeGranularity, filters: HeatmapFilters): string {
  const where = ['a.time_window_start >= $start', 'a.time_window_start < $end'];
  if (filters.service !== undefined) where.push('list_contains(a.affected_services, $service)');
  if (filters.category !== undefined) where.push(`${anomalyCategory} = $category`);
  if (filters.severity !== undefined) where.push('a.severity = $severity');
  if (granularity === 'DAILY') {
    const services = `unnest(CASE WHEN len(a.affected_services) = 0 THEN [NULL::VARCHAR] ELSE a.affected_services END)`;
    const inner = `SELECT a.time_window_start AS ts, ${services} AS dim, 1 AS m FROM anomaly_detections a
                   WHERE ${where.join(' AND ')}`;
    return filters.service === undefined ? inner : `SELECT * FROM (${inner}) WHERE dim = $service`;
  }
  const dim = granularity === 'WEEKLY' ? anomalyCategory : 'NULL::VARCHAR';
  return `SELECT a.time_window_start AS ts, ${dim} AS dim, 1 AS m FROM anomaly_detections a
          WHERE ${where.join(' AND ')}`;
}

/**
 * The one set-wise query computing a heatmap: the facts of the period, aggregated by cell, on the
 * full grid of rows × columns (a cross join, so an empty cell is there: 0 for counts and costs,
 * NULL for a resolution time without a resolved incident). One row per cell, ordered by row then
 * column: `r` (weekday 1..7, or the service / category, NULL for none), `c` (hour 0..23, or the
 * day / week / month start), `v` the value, `n` the samples behind it. A grid without rows (no
 * service had an incident) still lists its columns, once each, with `present` false.
 */
export function heatmapQuery(
  type: HeatmapType,
  granularity: TimeGranularity,
  period: HeatmapPeriod,
  filters: HeatmapFilters,
): HeatmapQuery {
  const facts =
    type === 'ANOMALY_DENSITY'
      ? anomalyFacts(granularity, filters)
      : incidentFacts(type, granularity, filters);
  const value = cellValue[type];
  // Cost: every analysis of the period's incidents, placed by its incident (the join is built on
  // the period's incidents, the smaller side, and probed once by each analysis).
  const measured =
    type === 'COST_IMPACT'
      ? '(SELECT f.ts, f.dim, c.cost_amount AS m FROM cost_analyses c JOIN facts f ON c.incident_id = f.id)'
      : 'facts';
  const sql = `WITH facts AS (${facts}),
    agg AS (SELECT ${rowKey[granularity]} AS r, ${columnKey[granularity]} AS c, ${value.aggregate} AS v,
                   ${value.samples}::INTEGER AS n
            FROM ${measured} GROUP BY ALL),
    grid_rows AS (${rowGrid[granularity]}),
    grid_columns AS (${columnGrid[granularity]})
    SELECT grid_rows.r AS r, grid_rows.present IS NOT NULL AS present, grid_columns.c AS c,
           coalesce(agg.v, ${value.empty}) AS v, coalesce(agg.n, 0) AS n
    FROM grid_columns LEFT JOIN grid_rows ON true
    LEFT JOIN agg ON agg.r IS NOT DISTINCT FROM grid_rows.r AND agg.c = grid_columns.c
    ORDER BY grid_rows.r NULLS LAST, grid_columns.c`;
  const params: Record<string, SqlValue> = { start: period.start, end: period.end };
  for (const name of ['service', 'category', 'severity'] as const) {
    const wanted = filters[name];
    if (wanted !== undefined) params[name] = wanted;
  }
  return { sql, params };
}
