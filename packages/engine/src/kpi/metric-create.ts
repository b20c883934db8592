import { type Database, type SqlValue, type Transaction, typedList } from '../store/database.ts';
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
 * The user names of metric creators (user ids), remembered while the `users` table is not written:
 * a run of creates by the same few users asks DuckDB once.
 */
export class CreatorNames {
  private names = new Map<string, string | null>();
  private generation = -1;

  constructor(private readonly db: Database) {}

  /**
   * The user name of each creator id, by the id in lower case (null for an id no user has). Asked
   * inside a write section, so no write of `users` lands between the query and the remembering.
   */
  async of(tx: Transaction, creators: readonly string[]): Promise<ReadonlyMap<string, string | null>> {
    const generation = this.db.generationOf(['users']);
    if (generation !== this.generation || this.names.size > 10_000) {
      this.names = new Map();
      this.generation = generation;
    }
    const unknown = [...new Set(creators.map((c) => c.toLowerCase()))].filter((c) => !this.names.has(c));
    if (unknown.length > 0) {
      const users = await tx.rows<{ id: string; username: string }>(
        'SELECT CAST(id AS VARCHAR) AS id, username FROM users WHERE id IN (SELECT TRY_CAST(unnest($ids) AS UUID))',
        { ids: unknown },
      );
      const found = new Map(users.map((user) => [user.id, user.username]));
      for (const id of unknown) this.names.set(id, found.get(id) ?? null);
    }
    return this.names;
  }
}

/**
 * Creates client metrics with one INSERT, after a query for their creators' user names when
 * `names` does not know them all: one writing statement, which commits by itself (see
 * `GroupCommitOptions.oneWritingStatement`). Each answer is the metric as `engine.kpis.get` shows
 * it, built from the values written: a new metric has no measurements.
 */
export async function insertMetrics(
  tx: Transaction,
  metrics: readonly NewMetric[],
  names: CreatorNames,
): Promise<ItemOutcome<KpiMetric>[]> {
  const creators = metrics.flatMap((m) => (m.createdBy === null ? [] : [m.createdBy]));
  const usernames = creators.length > 0 ? await names.of(tx, creators) : new Map<string, string | null>();
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
