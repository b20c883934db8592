import { EngineError } from '../errors.ts';
import { type IncidentColumn, incidentColumns } from '../schema/incident.ts';
import type { ColumnMapping } from './types.ts';

/** Where one incident field is read from in a tabular source. */
export interface FieldSource {
  readonly field: string;
  readonly kind: IncidentColumn['kind'];
  /** Index of the source column. */
  readonly index: number;
}

const fieldNames = new Set<string>(incidentColumns.map((c) => c.name));

/** `Created At`, `created-at` and `CREATED_AT` all name `created_at`. */
export function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

/**
 * Rejects a mapping that names a field the incident does not have.
 *
 * @throws EngineError VALIDATION_ERROR naming the unknown field.
 */
export function checkMapping(mapping: ColumnMapping | undefined): void {
  for (const [field, header] of Object.entries(mapping ?? {})) {
    if (!fieldNames.has(field)) {
      throw new EngineError('VALIDATION_ERROR', `column mapping names unknown incident field ${field}`, {
        field,
        allowed: [...fieldNames],
      });
    }
    if (typeof header !== 'string' || header.length === 0) {
      throw new EngineError('VALIDATION_ERROR', `column mapping of ${field} must be a column name`, {
        field,
      });
    }
  }
}

/**
 * Decides which source column each incident field comes from: the mapped header when the mapping
 * names one, else a header equal to the field name after {@link normaliseHeader}. Fields with no
 * column are left out (the schema then says whether they were required).
 *
 * @throws EngineError VALIDATION_ERROR when a mapped header is not in the source.
 */
export function resolveColumns(
  headers: readonly string[],
  mapping: ColumnMapping | undefined,
): FieldSource[] {
  checkMapping(mapping);
  const exact = new Map<string, number>();
  const normalised = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const n = normaliseHeader(h);
    if (!normalised.has(n)) normalised.set(n, i);
  });
  const sources: FieldSource[] = [];
  for (const column of incidentColumns) {
    const mapped = mapping?.[column.name];
    let index: number | undefined;
    if (mapped !== undefined) {
      index = exact.get(mapped) ?? normalised.get(normaliseHeader(mapped));
      if (index === undefined) {
        throw new EngineError(
          'VALIDATION_ERROR',
          `column ${mapped} (mapped to ${column.name}) is not in the source`,
          {
            field: column.name,
            column: mapped,
            columns: headers,
          },
        );
      }
    } else {
      index = normalised.get(column.name);
    }
    if (index !== undefined) sources.push({ field: column.name, kind: column.kind, index });
  }
  return sources;
}

/** Renames the keys of a JS object record as the mapping says; other keys pass through. */
export function remapObject(record: unknown, mapping: ColumnMapping): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const source = record as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  for (const [field, key] of Object.entries(mapping)) out[field] = source[key];
  return out;
}
