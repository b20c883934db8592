import { queryArrow } from '../../store/arrow-bridge.ts';
import type { Database } from '../../store/database.ts';
import { slicedValues, TimeSlice } from '../../store/time-slice.ts';
import type { SliceKind } from './incident-series.ts';

/** The incidents behind an anomaly and the impact figures severity weighs. */
export interface RelatedIncidents {
  readonly ids: string[];
  readonly services: string[];
  readonly criticalCount: number;
  readonly highCount: number;
  readonly affectedUsers: number;
}

const sliceColumn: Record<Exclude<SliceKind, 'all'>, string> = {
  service: 'service',
  category: 'category',
  severity: 'severity',
  team: 'team',
};

/**
 * Incidents created in `[from, to)` on a series' slice (all incidents for `all`), ordered by
 * creation, with their distinct services, severity counts and affected users.
 */
export async function readRelatedIncidents(
  db: Database,
  slice: SliceKind,
  sliceValue: string | null,
  from: Date,
  to: Date,
): Promise<RelatedIncidents> {
  const condition = slice === 'all' ? 'true' : `${sliceColumn[slice]} = $value`;
  const where = `WHERE created_at >= $from AND created_at < $to AND ${condition}`;
  const params = { from, to, ...(slice === 'all' ? {} : { value: sliceValue ?? '' }) };
  const row = await db.one(
    `SELECT coalesce(list(DISTINCT service) FILTER (service IS NOT NULL), []) AS services,
       count(*) FILTER (severity = 'CRITICAL') AS critical, count(*) FILTER (severity = 'HIGH') AS high,
       coalesce(sum(affected_users), 0)::DOUBLE AS users
     FROM incidents ${where}`,
    params,
  );
  // The ids, one row each through the Arrow bridge (a long window holds 10⁵ of them: read as rows
  // with the event loop running between chunks, not as one list value decoded in one go).
  const ids = await queryArrow(
    db,
    `SELECT id::VARCHAR AS id FROM incidents ${where} ORDER BY created_at, id`,
    params,
  );
  return {
    ids: await slicedValues<string>(ids.getChild('id'), new TimeSlice()),
    services: ((row?.['services'] as string[] | undefined) ?? []).sort(),
    criticalCount: Number(row?.['critical'] ?? 0),
    highCount: Number(row?.['high'] ?? 0),
    affectedUsers: Number(row?.['users'] ?? 0),
  };
}
