import type { SqlValue } from '../store/database.ts';

/** The incident filters of a metric; an empty list means "all". */
export interface IncidentFilters {
  readonly incident_categories: readonly string[];
  readonly incident_severities: readonly string[];
  readonly incident_priorities: readonly string[];
  readonly services: readonly string[];
  readonly teams: readonly string[];
}

const filterColumns: readonly [keyof IncidentFilters, string][] = [
  ['incident_categories', 'category'],
  ['incident_severities', 'severity'],
  ['incident_priorities', 'priority'],
  ['services', 'service'],
  ['teams', 'team'],
];

/**
 * SQL conditions (joined by AND, `true` when there are none) restricting incidents to a metric's
 * filters. The values are bound as list parameters named `kf_<filter>` and added to `params`; the
 * column names are fixed here.
 */
export function filterSql(filters: IncidentFilters, params: Record<string, SqlValue>): string {
  const clauses: string[] = [];
  for (const [key, column] of filterColumns) {
    const values = filters[key];
    if (values.length === 0) continue;
    params[`kf_${key}`] = [...values];
    clauses.push(`list_contains($kf_${key}, ${column})`);
  }
  return clauses.length ? clauses.join(' AND ') : 'true';
}
