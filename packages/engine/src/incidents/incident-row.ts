import { severities } from '../schema/enums.ts';
import { type Incident, incidentColumns } from '../schema/incident.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';

/** Columns read for an incident, in table order. */
export const incidentSelect = [...incidentColumns.map((c) => c.name), 'ingested_at', 'updated_at']
  .map((c) => (c === 'id' ? 'CAST(id AS VARCHAR) AS id' : c))
  .join(', ');

/**
 * Turns a stored row into an {@link Incident}: timestamps are `Date`s (UTC), counts numbers,
 * tags an array or null.
 */
export function toIncident(row: Row): Incident {
  const incident: Record<string, unknown> = {};
  for (const column of incidentColumns) {
    const value = row[column.name];
    incident[column.name] =
      value === undefined
        ? null
        : typeof value === 'bigint'
          ? Number(value)
          : column.kind === 'text[]' && value
            ? [...(value as string[])]
            : value;
  }
  incident['ingested_at'] = row['ingested_at'];
  incident['updated_at'] = row['updated_at'];
  return incident as unknown as Incident;
}

/**
 * What may be listed of incidents: filters by category, severity, priority, status, service and team
 * (one value or several), creation time window (`created_after` inclusive, `created_before`
 * exclusive), search in title and description, and the ordering whitelist.
 */
/** The filters of `engine.incidents.list` (see {@link incidentListSpec}). */
export type IncidentListFilters = {
  readonly category?: string | readonly string[] | undefined;
  readonly severity?: string | readonly string[] | undefined;
  readonly priority?: string | readonly string[] | undefined;
  readonly status?: string | readonly string[] | undefined;
  readonly service?: string | readonly string[] | undefined;
  readonly team?: string | readonly string[] | undefined;
  /** Created at or after (a `Date` or ISO 8601 text). */
  readonly created_after?: Date | string | undefined;
  /** Created before, exclusive (a `Date` or ISO 8601 text). */
  readonly created_before?: Date | string | undefined;
};

export const incidentListSpec: ListSpec = {
  from: 'incidents',
  select: incidentSelect,
  filters: {
    category: { column: 'category', op: 'in' },
    severity: { column: 'severity', op: 'in' },
    priority: { column: 'priority', op: 'in' },
    status: { column: 'status', op: 'in' },
    service: { column: 'service', op: 'in' },
    team: { column: 'team', op: 'in' },
    created_after: { column: 'created_at', op: 'gte' },
    created_before: { column: 'created_at', op: 'lt' },
  },
  orderable: {
    created_at: 'created_at',
    resolved_at: 'resolved_at',
    // By rank (LOW first), not alphabetically.
    severity: `list_position([${severities.map((s) => `'${s}'`).join(', ')}], severity)`,
    priority: 'priority',
    status: 'status',
    service: 'service',
    team: 'team',
    title: 'title',
  },
  searchable: ['title', 'description'],
  defaultOrdering: '-created_at',
};
