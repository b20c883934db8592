import { EngineError } from '../errors.ts';
import { type IncidentColumn, incidentColumns } from '../schema/incident.ts';
import { incidentFieldNames, isIncidentField } from './field-names.ts';
import type { ColumnMapping, IgnoredColumns } from './types.ts';

/** Where one incident field is read from in a tabular source. */
export interface FieldSource {
  readonly field: string;
  readonly kind: IncidentColumn['kind'];
  /** Index of the source column. */
  readonly index: number;
}

/** `Created At`, `created-at` and `CREATED_AT` all name `created_at`. */
function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

/**
 * Rejects a mapping that names a field the incident does not have, a list of columns to ignore that
 * is not a list of names, and a column both mapped and ignored.
 *
 * @throws EngineError VALIDATION_ERROR naming the unknown field or the column at fault.
 */
export function checkMapping(mapping: ColumnMapping | undefined, ignore?: IgnoredColumns): void {
  for (const [field, header] of Object.entries(mapping ?? {})) {
    if (!isIncidentField(field)) {
      throw new EngineError('VALIDATION_ERROR', `column mapping names unknown incident field ${field}`, {
        field,
        allowed: incidentFieldNames,
      });
    }
    if (typeof header !== 'string' || header.length === 0) {
      throw new EngineError('VALIDATION_ERROR', `column mapping of ${field} must be a column name`, {
        field,
      });
    }
  }
  if (ignore === undefined) return;
  if (!Array.isArray(ignore) || ignore.some((name) => typeof name !== 'string' || name.length === 0)) {
    throw new EngineError('VALIDATION_ERROR', 'the columns to ignore must be a list of column names');
  }
  for (const [field, header] of Object.entries(mapping ?? {})) {
    const both = ignore.find((name) => normaliseHeader(name) === normaliseHeader(header));
    if (both !== undefined) {
      throw new EngineError(
        'VALIDATION_ERROR',
        `column ${quoted(both)} is both mapped (to ${field}) and ignored: do one or the other`,
        { field, column: both },
      );
    }
  }
}

/** How to go on when a source has columns that are not incident fields (every shell's spelling). */
const howToProceed =
  'map each to an incident field or ignore it by name (CLI: --map field=header, --ignore-column header; ' +
  'HTTP: column_mapping, ignore_columns; library: columnMapping, ignoreColumns)';

/**
 * Decides which source column each incident field comes from: the mapped header when the mapping
 * names one, else the one header equal to the field name after {@link normaliseHeader}. Fields with
 * no column are left out (the schema then says whether they were required). Every column must be
 * read: one that is neither an incident field nor mapped to one is refused unless `ignore` names
 * it. A header named like a field whose field the mapping reads from another column is the one
 * exception: the mapping said where that field comes from.
 *
 * @throws EngineError VALIDATION_ERROR when a mapped or ignored header is not in the source, two
 *   headers name the same unmapped field, or a column is not read (`details.columns`, `accepted`).
 */
export function resolveColumns(
  headers: readonly string[],
  mapping: ColumnMapping | undefined,
  ignore?: IgnoredColumns,
): FieldSource[] {
  checkMapping(mapping, ignore);
  const normalisedHeaders = headers.map(normaliseHeader);
  const ignored = new Set<number>();
  for (const name of ignore ?? []) {
    const matches = headerIndexes(headers, normalisedHeaders, name);
    if (matches.length === 0) {
      throw new EngineError('VALIDATION_ERROR', `column ${quoted(name)} (to ignore) is not in the source`, {
        column: name,
        columns: headers,
      });
    }
    for (const index of matches) ignored.add(index);
  }
  const sources: FieldSource[] = [];
  for (const column of incidentColumns) {
    const mapped = mapping?.[column.name];
    let index: number | undefined;
    if (mapped !== undefined) {
      index = headerIndexes(headers, normalisedHeaders, mapped)[0];
      if (index === undefined) {
        throw new EngineError(
          'VALIDATION_ERROR',
          `column ${mapped} (mapped to ${column.name}) is not in the source`,
          { field: column.name, column: mapped, columns: headers },
        );
      }
    } else {
      const named = normalisedHeaders.flatMap((n, i) => (n === column.name && !ignored.has(i) ? [i] : []));
      if (named.length > 1) {
        const which = named.map((i) => quoted(headers[i]!)).join(' and ');
        throw new EngineError(
          'VALIDATION_ERROR',
          `columns ${which} both name incident field ${column.name}: map the field to one of them or ignore the others`,
          { field: column.name, columns: named.map((i) => headers[i]) },
        );
      }
      index = named[0];
    }
    if (index !== undefined) sources.push({ field: column.name, kind: column.kind, index });
  }
  const read = new Set(sources.map((s) => s.index));
  const unread = headers.flatMap((header, i) =>
    read.has(i) ||
    ignored.has(i) ||
    (isIncidentField(normalisedHeaders[i]!) && mapping?.[normalisedHeaders[i]!] !== undefined)
      ? []
      : [header],
  );
  if (unread.length > 0) {
    const many = unread.length > 1;
    throw new EngineError(
      'VALIDATION_ERROR',
      `column${many ? 's' : ''} ${unread.map(quoted).join(', ')} ${many ? 'are' : 'is'} not ${many ? '' : 'an '}incident field${many ? 's' : ''} ` +
        `(accepted: ${incidentFieldNames.join(', ')}): ${howToProceed}`,
      { columns: unread, accepted: incidentFieldNames },
    );
  }
  return sources;
}

/** Indexes of the headers `name` designates: the exact header, else those equal once normalised. */
function headerIndexes(headers: readonly string[], normalised: readonly string[], name: string): number[] {
  const exact = headers.indexOf(name);
  if (exact !== -1) return [exact];
  const wanted = normaliseHeader(name);
  return normalised.flatMap((n, i) => (n === wanted ? [i] : []));
}

function quoted(name: string): string {
  return JSON.stringify(name);
}

/**
 * The function that reshapes each JSON object record before validation: keys named in `ignore`
 * dropped, each mapped key renamed to its field (keys compared exactly; a mapped key that is itself
 * an incident field stays as well). `undefined` when there is nothing to do. Non-objects pass.
 */
export function objectReshaper(
  mapping: ColumnMapping | undefined,
  ignore: IgnoredColumns | undefined,
): ((record: unknown) => unknown) | undefined {
  const renames = Object.entries(mapping ?? {});
  const drop = [...(ignore ?? []), ...renames.map(([, key]) => key).filter((key) => !isIncidentField(key))];
  if (renames.length === 0 && drop.length === 0) return undefined;
  return (record) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
    const source = record as Record<string, unknown>;
    const out: Record<string, unknown> = { ...source };
    for (const key of drop) delete out[key];
    for (const [field, key] of renames) out[field] = source[key];
    return out;
  };
}
