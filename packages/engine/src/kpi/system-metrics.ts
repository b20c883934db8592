import { type MetricType, metricTypes } from '../schema/enums.ts';
import type { Transaction } from '../store/database.ts';
import { exec } from './measure.ts';
import { insertMetric } from './metric-store.ts';
import { metricTypeInfo, systemAggregation, systemWindowHours } from './metric-types.ts';

/**
 * Creates the system metrics (one per type but CUSTOM) that do not exist yet, and brings the name,
 * description and severity filter of existing ones up to the current definitions in
 * {@link metricTypeInfo}: a database made when the uptime metrics counted HIGH incidents as outages
 * counts CRITICAL ones only from then on (measurements stored before keep their values). Nothing
 * else of a system metric changes. Idempotent; runs inside the caller's transaction.
 */
export async function ensureSystemMetrics(tx: Transaction, at: Date): Promise<void> {
  const rows = await tx.rows(
    `SELECT id::VARCHAR AS id, metric_type, name, description,
       array_to_string(list_sort(incident_severities), ',') AS severities
     FROM kpi_metrics WHERE is_system_metric`,
  );
  const present = new Set(rows.map((r) => String(r['metric_type'])));
  for (const row of rows) {
    const type = String(row['metric_type']) as MetricType;
    if (type === 'CUSTOM' || !(type in metricTypeInfo)) continue;
    const info = metricTypeInfo[type];
    const current =
      row['name'] === info.systemName &&
      row['description'] === info.systemDescription &&
      String(row['severities'] ?? '') === [...info.systemSeverities].sort().join(',');
    if (current) continue;
    await exec(
      tx,
      `UPDATE kpi_metrics SET name = $name, description = $description,
         incident_severities = $sevs::VARCHAR[], updated_at = $at WHERE id = $id::UUID`,
      {
        id: String(row['id']),
        name: info.systemName,
        description: info.systemDescription,
        sevs: [...info.systemSeverities],
        at,
      },
    );
  }
  for (const type of metricTypes) {
    if (type === 'CUSTOM' || present.has(type)) continue;
    const info = metricTypeInfo[type];
    await insertMetric(tx, {
      id: crypto.randomUUID(),
      name: info.systemName,
      description: info.systemDescription,
      metric_type: type,
      aggregation_type: systemAggregation(type),
      incident_categories: [],
      incident_severities: [...info.systemSeverities],
      incident_priorities: [],
      services: [],
      teams: [],
      calculation_formula: null,
      time_window_hours: systemWindowHours,
      target_value: null,
      is_active: true,
      is_system_metric: true,
      created_by: null,
      at,
    });
  }
}
