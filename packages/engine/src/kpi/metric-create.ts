import { type SqlValue, type Transaction, typedList } from '../store/database.ts';
import type { ItemOutcome } from '../store/group-commit.ts';
import type { MetricDefinition } from './metric-schema.ts';
import { apiMetric, toStoredMetric } from './metric-store.ts';
import type { KpiMetric } from './records.ts';

/** A validated metric a client creates: its new id, its creator (a user id or null) and the time. */
export interface NewMetric {
  readonly definition: MetricDefinition;
  readonly id: string;
  readonly createdBy: string | null;
  readonly at: Date;
}

/** The columns of `kpi_metrics` in table order, each with the type its list is bound as. */
const columns = [
  ['id', 'VARCHAR'], // cast by the column, as are created_by's
  ['name', 'VARCHAR'],
  ['description', 'VARCHAR'],
  ['metric_type', 'VARCHAR'],
  ['aggregation_type', 'VARCHAR'],
  ['incident_categories', 'VARCHAR[]'],
  ['incident_severities', 'VARCHAR[]'],
  ['incident_priorities', 'VARCHAR[]'],
  ['services', 'VARCHAR[]'],
  ['teams', 'VARCHAR[]'],
  ['calculation_formula', 'VARCHAR'],
  ['time_window_hours', 'INTEGER'],
  ['target_value', 'DOUBLE'],
  ['is_active', 'BOOLEAN'],
  ['is_system_metric', 'BOOLEAN'],
  ['created_by', 'VARCHAR'],
  ['created_at', 'TIMESTAMP'],
  ['updated_at', 'TIMESTAMP'],
] as const;

/**
 * Creates client metrics in the caller's transaction with one INSERT, after one query for their
 * creators' user names. Each answer is the metric as `engine.kpis.get` shows it, built from the
 * values written: a new metric has no measurements.
 */
export async function insertMetrics(
  tx: Transaction,
  metrics: readonly NewMetric[],
): Promise<ItemOutcome<KpiMetric>[]> {
  const creators = [...new Set(metrics.flatMap((m) => (m.createdBy === null ? [] : [m.createdBy])))];
  const usernames = new Map<string, string>();
  if (creators.length > 0) {
    const users = await tx.rows<{ id: string; username: string }>(
      'SELECT CAST(id AS VARCHAR) AS id, username FROM users WHERE id IN (SELECT TRY_CAST(unnest($ids) AS UUID))',
      { ids: creators },
    );
    for (const user of users) usernames.set(user.id, user.username);
  }
  // One list a column, unnested side by side: one statement whatever the number of metrics.
  const rows = metrics.map(storedRow);
  const params: Record<string, SqlValue> = {};
  for (const [column, type] of columns) {
    params[column] = typedList(
      type,
      rows.map((row) => (row[column] ?? undefined) as SqlValue),
    );
  }
  await tx.run(
    `INSERT INTO kpi_metrics SELECT ${columns.map(([column]) => `unnest($${column})`).join(', ')}`,
    params,
  );
  return metrics.map((metric, i) => {
    const row = rows[i] as Record<string, unknown>;
    const username =
      metric.createdBy === null ? null : (usernames.get(metric.createdBy.toLowerCase()) ?? null);
    return {
      ok: true,
      answer: apiMetric(toStoredMetric({ ...row, created_by_username: username }), undefined),
    };
  });
}

/** The values a new client metric is stored with, by column. */
function storedRow({ definition: d, id, createdBy, at }: NewMetric): Record<string, unknown> {
  return {
    id,
    name: d.name,
    description: d.description,
    metric_type: d.metric_type,
    aggregation_type: d.aggregation_type,
    incident_categories: [...d.incident_categories],
    incident_severities: [...d.incident_severities],
    incident_priorities: [...d.incident_priorities],
    services: [...d.services],
    teams: [...d.teams],
    calculation_formula: d.calculation_formula ?? null,
    time_window_hours: d.time_window_hours,
    target_value: d.target_value ?? null,
    is_active: d.is_active,
    is_system_metric: false,
    created_by: createdBy,
    created_at: new Date(at),
    updated_at: new Date(at),
  };
}
