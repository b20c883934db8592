import { incidentColumns } from '../schema/incident.ts';

/** The fields an incident record may carry, in column order: the only keys ingestion accepts. */
export const incidentFieldNames: readonly string[] = incidentColumns.map((c) => c.name);

// A prototype-less lookup object: measured faster than a Set on the fast path (per-record key check).
const isField: Readonly<Record<string, true | undefined>> = Object.assign(
  Object.create(null) as Record<string, true>,
  Object.fromEntries(incidentFieldNames.map((name) => [name, true])),
);

/** Whether `name` is one of {@link incidentFieldNames} (exactly, case included). */
export function isIncidentField(name: string): boolean {
  return isField[name] === true;
}

/**
 * Whether every enumerable key of `record` (own or inherited, as `for…in` sees them) is an
 * incident field. Cost: O(keys), one lookup each.
 */
export function hasOnlyIncidentFields(record: object): boolean {
  for (const key in record) if (isField[key] !== true) return false;
  return true;
}

/** The enumerable keys of `record` that are not incident fields, in the record's key order. */
export function unknownFields(record: object): string[] {
  const unknown: string[] = [];
  for (const key in record) if (isField[key] !== true) unknown.push(key);
  return unknown;
}

/** The row-error message of a record key that is not an incident field. */
export const unknownFieldMessage = `unknown field (accepted: ${incidentFieldNames.join(', ')})`;
