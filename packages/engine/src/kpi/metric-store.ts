import { notFound } from '../errors.ts';
import type { AggregationType, MetricType } from '../schema/enums.ts';
import type { Database, Row, Transaction } from '../store/database.ts';
import { cachedAnswer, listRequestKey } from '../store/list-cache.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../store/list-query.ts';
import type { MetricDefinition } from './metric-schema.ts';
import { formatDecimal, metricTypeInfo } from './metric-types.ts';
import type { KpiMetric } from './records.ts';

/** A stored metric row with its definition in engine types (numbers, not strings). */
export interface StoredMetric extends MetricDefinition {
  id: string;
  is_system_metric: boolean;
  created_by_username: string | null;
  created_at: Date;
  updated_at: Date;
}

const metricSelect = `SELECT m.id::VARCHAR AS id, m.name, m.description, m.metric_type, m.aggregation_type,
  m.incident_categories, m.incident_severities, m.incident_priorities, m.services, m.teams,
  m.calculation_formula, m.time_window_hours, m.target_value, m.is_active, m.is_system_metric,
  CASE WHEN m.is_system_metric AND m.created_by IS NULL THEN 'system' ELSE u.username END AS created_by_username,
  m.created_at, m.updated_at
  FROM kpi_metrics AS m LEFT JOIN users AS u ON u.id = m.created_by`;

/** The filters of `engine.kpis.list`. */
export type KpiMetricListFilters = {
  readonly metric_type?: string | undefined;
  readonly is_active?: boolean | undefined;
  readonly is_system_metric?: boolean | undefined;
  /** Created at or after. */
  readonly created_after?: Date | undefined;
  /** Created at or before. */
  readonly created_before?: Date | undefined;
};

/** What metrics may be listed by and ordered on (the spec's filters). */
const metricListSpec: ListSpec = {
  from: `(${metricSelect}) AS k`,
  filters: {
    metric_type: { column: 'metric_type', op: 'eq' },
    is_active: { column: 'is_active', op: 'eq' },
    is_system_metric: { column: 'is_system_metric', op: 'eq' },
    created_after: { column: 'created_at', op: 'gte' },
    created_before: { column: 'created_at', op: 'lte' },
  },
  orderable: {
    name: 'name',
    metric_type: 'metric_type',
    created_at: 'created_at',
    updated_at: 'updated_at',
    time_window_hours: 'time_window_hours',
  },
  searchable: ['name', 'description'],
  defaultOrdering: 'name',
};

/** Converts a row of {@link metricSelect} to a {@link StoredMetric}. */
export function toStoredMetric(r: Row): StoredMetric {
  return {
    id: String(r['id']),
    name: String(r['name']),
    description: String(r['description'] ?? ''),
    metric_type: r['metric_type'] as MetricType,
    aggregation_type: r['aggregation_type'] as AggregationType,
    incident_categories: (r['incident_categories'] as string[]) ?? [],
    incident_severities: (r['incident_severities'] as StoredMetric['incident_severities']) ?? [],
    incident_priorities: (r['incident_priorities'] as StoredMetric['incident_priorities']) ?? [],
    services: (r['services'] as string[]) ?? [],
    teams: (r['teams'] as string[]) ?? [],
    calculation_formula: (r['calculation_formula'] as string | null) ?? null,
    time_window_hours: Number(r['time_window_hours']),
    target_value: r['target_value'] === null ? null : Number(r['target_value']),
    is_active: Boolean(r['is_active']),
    is_system_metric: Boolean(r['is_system_metric']),
    created_by_username: (r['created_by_username'] as string | null) ?? null,
    created_at: r['created_at'] as Date,
    updated_at: r['updated_at'] as Date,
  };
}

/**
 * Reads one metric.
 *
 * @throws EngineError NOT_FOUND.
 */
export async function readMetric(db: Database, id: string): Promise<StoredMetric> {
  const row = isUuid(id) ? await db.one(`${metricSelect} WHERE m.id = $id::UUID`, { id }) : undefined;
  if (!row) throw notFound('KPI metric', id);
  return toStoredMetric(row);
}

/** Every active metric, oldest first. */
export async function activeMetrics(db: Database): Promise<StoredMetric[]> {
  const rows = await db.all(`${metricSelect} WHERE m.is_active ORDER BY m.created_at, m.id`);
  return rows.map(toStoredMetric);
}

/** A page of metrics as the API shows them. */
export async function listMetrics(db: Database, request: ListRequest): Promise<Page<KpiMetric>> {
  // Remembered until the next write (store/list-cache.ts).
  return cachedAnswer(db, listRequestKey('kpi-metrics', request), async () => {
    const page = await listPage(db, metricListSpec, request, toStoredMetric);
    return { ...page, results: await toApiMetrics(db, page.results) };
  });
}

/** Adds `measurement_count` and `latest_measurement` and formats decimals as the API shows them. */
export async function toApiMetrics(db: Database, metrics: readonly StoredMetric[]): Promise<KpiMetric[]> {
  if (metrics.length === 0) return [];
  const stats = await db.all(
    // Latest = most recently calculated; among equal times (one batch), the latest period.
    `SELECT metric_id, n, value, unit, calculated_at, incident_count FROM (
       SELECT metric_id::VARCHAR AS metric_id, value, unit, calculated_at, incident_count,
         count(*) OVER (PARTITION BY metric_id) AS n,
         row_number() OVER (PARTITION BY metric_id ORDER BY calculated_at DESC, period_end DESC) AS rn
       FROM kpi_measurements WHERE list_contains($ids, metric_id::VARCHAR)
     ) WHERE rn = 1`,
    { ids: metrics.map((m) => m.id) },
  );
  const byId = new Map(stats.map((s) => [String(s['metric_id']), s]));
  return metrics.map((m) => apiMetric(m, byId.get(m.id)));
}

/** A metric as the API shows it, from its stored fields and its measurement statistics, if any. */
export function apiMetric(m: StoredMetric, s: Row | undefined): KpiMetric {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    metric_type: m.metric_type,
    aggregation_type: m.aggregation_type,
    incident_categories: [...m.incident_categories],
    incident_severities: [...m.incident_severities],
    incident_priorities: [...m.incident_priorities],
    services: [...m.services],
    teams: [...m.teams],
    calculation_formula: m.calculation_formula,
    time_window_hours: m.time_window_hours,
    target_value: formatDecimal(m.target_value),
    is_active: m.is_active,
    is_system_metric: m.is_system_metric,
    created_by_username: m.created_by_username,
    created_at: m.created_at,
    updated_at: m.updated_at,
    measurement_count: Number(s?.['n'] ?? 0),
    latest_measurement: s
      ? {
          value: formatDecimal(s['value'] === null ? null : Number(s['value'])),
          unit: String(s['unit'] ?? metricTypeInfo[m.metric_type].unit),
          calculated_at: s['calculated_at'] as Date,
          incident_count: Number(s['incident_count']),
        }
      : null,
  };
}

/** Inserts a metric row inside the caller's transaction. */
export async function insertMetric(
  tx: Transaction,
  m: MetricDefinition & { id: string; is_system_metric: boolean; created_by: string | null; at: Date },
): Promise<void> {
  await tx.run(
    `INSERT INTO kpi_metrics VALUES ($id::UUID, $name, $description, $metric_type, $aggregation_type,
       $cats::VARCHAR[], $sevs::VARCHAR[], $pris::VARCHAR[], $services::VARCHAR[], $teams::VARCHAR[],
       $formula::VARCHAR, $window, $target::DOUBLE, $active, $system, $created_by::UUID, $at, $at)`,
    {
      id: m.id,
      name: m.name,
      description: m.description,
      metric_type: m.metric_type,
      aggregation_type: m.aggregation_type,
      cats: [...m.incident_categories],
      sevs: [...m.incident_severities],
      pris: [...m.incident_priorities],
      services: [...m.services],
      teams: [...m.teams],
      formula: m.calculation_formula ?? undefined,
      window: m.time_window_hours,
      target: m.target_value ?? undefined,
      active: m.is_active,
      system: m.is_system_metric,
      created_by: m.created_by ?? undefined,
      at: m.at,
    },
  );
}

/** Overwrites a metric's definition (every client-settable field) and its `updated_at`. */
export async function updateMetric(
  db: Database,
  id: string,
  definition: MetricDefinition,
  at: Date,
): Promise<void> {
  await db.run(
    `UPDATE kpi_metrics SET name = $name, description = $description, metric_type = $metric_type,
       aggregation_type = $aggregation_type, incident_categories = $cats::VARCHAR[],
       incident_severities = $sevs::VARCHAR[], incident_priorities = $pris::VARCHAR[],
       services = $services::VARCHAR[], teams = $teams::VARCHAR[], calculation_formula = $formula::VARCHAR,
       time_window_hours = $window, target_value = $target::DOUBLE, is_active = $active, updated_at = $at
     WHERE id = $id::UUID`,
    {
      id,
      name: definition.name,
      description: definition.description,
      metric_type: definition.metric_type,
      aggregation_type: definition.aggregation_type,
      cats: [...definition.incident_categories],
      sevs: [...definition.incident_severities],
      pris: [...definition.incident_priorities],
      services: [...definition.services],
      teams: [...definition.teams],
      formula: definition.calculation_formula ?? undefined,
      window: definition.time_window_hours,
      target: definition.target_value ?? undefined,
      active: definition.is_active,
      at,
    },
  );
}

/** True for a string shaped like a UUID (anything else cannot name a stored row). */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
