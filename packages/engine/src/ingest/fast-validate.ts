import { regexes } from 'zod/v4/core';
import { incidentStatuses, priorities, severities } from '../schema/enums.ts';
import { isoToDate, maxCount, type ValidIncident } from '../schema/incident.ts';
import { hasOnlyIncidentFields } from './field-names.ts';

const isoDateTime = regexes.datetime({ offset: true, local: true, precision: null });
const isoDate = regexes.date;
const severitySet = new Set<string>(severities);
const prioritySet = new Set<string>(priorities);
const statusSet = new Set<string>(incidentStatuses);
const digits = /^\d{1,10}$/;

/** Thrown inside {@link fastValidate} when a value needs the full schema; never escapes. */
const bail: unique symbol = Symbol('bail');

/**
 * Accepts the common, plainly valid incident records roughly ten times faster than
 * `incidentInputSchema` and returns exactly what the schema would return for them; for anything
 * else (a bad value, an id, an unusual but acceptable spelling) it returns `undefined` and the
 * caller asks the schema, which then gives the answer and the error messages. So the schema stays
 * the single definition: this function only ever accepts a subset of what it accepts (and of
 * records whose keys are all incident fields: ingestion refuses any other key), a property the
 * `ingest-validation` test checks on random records. Cost: O(keys) with one regex test per
 * timestamp.
 */
export function fastValidate(input: unknown): ValidIncident | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const r = input as Record<string, unknown>;
  if (!hasOnlyIncidentFields(r)) return undefined;
  try {
    if (r['id'] !== undefined && r['id'] !== null) return undefined;
    const created_at = timestamp(r['created_at']);
    if (created_at === null) return undefined;
    const acknowledged_at = timestamp(r['acknowledged_at']);
    const resolved_at = timestamp(r['resolved_at']);
    const closed_at = timestamp(r['closed_at']);
    const created = created_at.getTime();
    if (acknowledged_at && acknowledged_at.getTime() < created) return undefined;
    if (resolved_at && resolved_at.getTime() < created) return undefined;
    if (closed_at && closed_at.getTime() < created) return undefined;
    const severity = r['severity'];
    if (typeof severity !== 'string' || !severitySet.has(severity)) return undefined;
    const status = member(r['status'], statusSet);
    const title = text(r['title'], 1, 500);
    if (title === null) return undefined;
    return {
      id: null,
      external_id: text(r['external_id'], 1, 200),
      title,
      description: text(r['description'], 0, 10_000),
      category: text(r['category'], 0, 200),
      subcategory: text(r['subcategory'], 0, 200),
      severity: severity as ValidIncident['severity'],
      priority: member(r['priority'], prioritySet) as ValidIncident['priority'],
      status: (status ??
        (closed_at
          ? 'CLOSED'
          : resolved_at
            ? 'RESOLVED'
            : acknowledged_at
              ? 'ACKNOWLEDGED'
              : 'OPEN')) as ValidIncident['status'],
      service: text(r['service'], 0, 200),
      team: text(r['team'], 0, 200),
      created_at,
      acknowledged_at,
      resolved_at,
      closed_at,
      escalation_level: count(r['escalation_level']) ?? 0,
      reopen_count: count(r['reopen_count']) ?? 0,
      reassignment_count: count(r['reassignment_count']) ?? 0,
      affected_users: count(r['affected_users']),
      tags: tags(r['tags']),
    };
  } catch (error) {
    if (error === bail) return undefined;
    throw error;
  }
}

function text(value: unknown, min: number, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bail;
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw bail;
  return trimmed;
}

function member(value: unknown, set: ReadonlySet<string>): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !set.has(value)) throw bail;
  return value;
}

function timestamp(value: unknown): Date | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw bail;
    return value;
  }
  if (typeof value !== 'string' || !(isoDateTime.test(value) || isoDate.test(value))) throw bail;
  const date = isoToDate(value);
  if (Number.isNaN(date.getTime())) throw bail;
  return date;
}

function count(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && digits.test(value)) n = Number(value);
  else throw bail;
  if (!Number.isSafeInteger(n) || n < 0 || n > maxCount) throw bail;
  return n;
}

function tags(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > 50) throw bail;
  const out: string[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = text(value[i], 0, 100) as string;
  for (const tag of out) if (tag === null) throw bail;
  return out;
}
