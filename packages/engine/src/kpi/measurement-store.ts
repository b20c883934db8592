import type { MetricType } from '../schema/enums.ts';
import type { Database, Row, Transaction } from '../store/database.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../store/list-query.ts';
import { formatDecimal } from './metric-types.ts';
import type { KpiMeasurement } from './records.ts';

const measurementSelect = `SELECT ms.id::VARCHAR AS id, ms.metric_id::VARCHAR AS metric_id, m.name AS metric_name,
  m.metric_type, ms.value, ms.unit, ms.period_start, ms.period_end, ms.incident_count, ms.sample_count,
  ms.calculated_at, ms.details::VARCHAR AS details
  FROM kpi_measurements AS ms JOIN kpi_metrics AS m ON m.id = ms.metric_id`;

/** The filters of `engine.kpis.measurements`. */
export type MeasurementListFilters = {
  readonly metric_id?: string | undefined;
  /** Measurements whose period starts at or after this. */
  readonly start_date?: Date | undefined;
  /** Measurements whose period ends at or before this. */
  readonly end_date?: Date | undefined;
};

/** The measurement listing of the spec: filters metric_id, start_date, end_date. */
const measurementListSpec: ListSpec = {
  from: `(${measurementSelect}) AS x`,
  filters: {
    metric_id: { column: 'metric_id', op: 'eq' },
    start_date: { column: 'period_start', op: 'gte' },
    end_date: { column: 'period_end', op: 'lte' },
  },
  orderable: {
    period_start: 'period_start',
    period_end: 'period_end',
    calculated_at: 'calculated_at',
    value: 'value',
  },
  searchable: [],
  defaultOrdering: '-period_start,-calculated_at',
};

/** A measurement row as the API shows it. */
function toMeasurement(r: Row): KpiMeasurement {
  return {
    id: String(r['id']),
    metric_id: String(r['metric_id']),
    metric_name: String(r['metric_name']),
    metric_type: r['metric_type'] as MetricType,
    value: formatDecimal(r['value'] === null ? null : Number(r['value'])),
    unit: String(r['unit']),
    period_start: r['period_start'] as Date,
    period_end: r['period_end'] as Date,
    incident_count: Number(r['incident_count']),
    sample_count: Number(r['sample_count']),
    calculated_at: r['calculated_at'] as Date,
    details: r['details'] ? (JSON.parse(String(r['details'])) as Record<string, unknown>) : {},
  };
}

/** A page of measurements: frozen, shared by every caller until the next write (see `listPage`). */
export function listMeasurements(db: Database, request: ListRequest): Promise<Page<KpiMeasurement>> {
  return listPage(db, measurementListSpec, request, toMeasurement, { shared: true });
}

/** The stored measurement of a metric for exactly `[start, end)`, if any. */
export async function findMeasurement(
  db: Database,
  metricId: string,
  start: Date,
  end: Date,
): Promise<KpiMeasurement | undefined> {
  const row = await db.one(
    `${measurementSelect} WHERE ms.metric_id = $id::UUID AND ms.period_start = $start AND ms.period_end = $end
     ORDER BY ms.calculated_at DESC LIMIT 1`,
    { id: metricId, start, end },
  );
  return row ? toMeasurement(row) : undefined;
}

/** The latest measured value of a metric for a period ending at or before `end`, other than `[start, end)`. */
export async function previousValue(
  tx: Transaction,
  metricId: string,
  start: Date,
  end: Date,
): Promise<{ found: boolean; value: number | null }> {
  const rows = await tx.rows(
    `SELECT value FROM kpi_measurements WHERE metric_id = $id::UUID AND period_end <= $end
       AND NOT (period_start = $start AND period_end = $end)
     ORDER BY period_end DESC, calculated_at DESC LIMIT 1`,
    { id: metricId, start, end },
  );
  const row = rows[0];
  if (!row) return { found: false, value: null };
  return { found: true, value: row['value'] === null ? null : Number(row['value']) };
}
