import { incidentStatuses, priorities, severities } from '../schema/enums.ts';
import { incidentColumns, maxCount } from '../schema/incident.ts';
import type { FieldSource } from './column-mapping.ts';

/**
 * The vectorised twin of {@link fastValidate} for sources DuckDB reads itself (Parquet): SQL that
 * says, per row, "plainly valid", and the SQL that turns such a row into its staged values. Like
 * `fastValidate` it only ever accepts a subset of what `incidentInputSchema` accepts and yields the
 * same values; every other row goes through the schema in JS, which gives the verdict and the
 * messages. It applies only when each mapped column has a type listed here; otherwise the whole
 * source goes through JS. It sees only the columns read into fields: a column that is neither read
 * nor ignored has already refused the whole source (`resolveColumns`), as an unknown key refuses a
 * record on the schema path. The subset is kept obviously safe rather than complete:
 *
 * - text must start and end with a printable ASCII character (so JS `trim()` would change nothing)
 *   and its UTF-8 byte length (never less than its UTF-16 length) must be within the limit;
 * - timestamps must be from 1970 on (so truncating microseconds to milliseconds agrees with JS);
 * - a given `id` must be a UUID as `z.uuid()` spells it (a VARCHAR as written, a UUID column as
 *   DuckDB prints it, lower case, which is how the JS path reads it too).
 */
export interface SqlCheck {
  /** Boolean expression over the source columns: the row is plainly valid. */
  readonly predicate: string;
  /** Select list producing the staging columns after `_row`, in incident column order. */
  readonly values: string[];
}

const textTypes = new Set(['VARCHAR']);
const timestampTypes = new Set(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_MS', 'TIMESTAMP_S']);
const intTypes = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
]);
/** Shortest and longest text of each text field, as the schema has them. */
export const textLimits: Readonly<Record<string, readonly [number, number]>> = {
  external_id: [1, 200],
  title: [1, 500],
  description: [0, 10_000],
  category: [0, 200],
  subcategory: [0, 200],
  service: [0, 200],
  team: [0, 200],
};
/** The allowed values of each enumerated field. */
export const enumValues: Readonly<Record<string, readonly string[]>> = {
  severity: severities,
  priority: priorities,
  status: incidentStatuses,
};

/** The staged id of rows from a source without an id column. */
export const absentId = 'CAST(NULL AS VARCHAR)';

/** `z.uuid()`'s pattern (zod/v4/core regexes), for RE2: a UUID of versions 1 to 8, or nil, or max. */
export const uuidPattern =
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff';

/** A DuckDB identifier, quoted. Column names come from the file, so they are quoted, never pasted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * SQL true when the text `x` (not NULL) is `min` (at least 1) to `max` bytes long and its first and
 * last characters are printable ASCII other than space (code points 33..126), so JS `trim()` would
 * change nothing. The first character is tested by comparing the text (byte order: its first byte
 * from `!` to `~`), which costs a sixth of `ord(x[1])` and says the same.
 */
export function plainEnds(x: string, min: number, max: number): string {
  return `(strlen(${x}) BETWEEN ${Math.max(min, 1)} AND ${max} AND ${x} >= '!' AND ${x} < chr(127) AND ord(${x}[-1]) BETWEEN 33 AND 126)`;
}

/** {@link plainEnds}, or also empty text when `min` is 0. */
export function plainText(x: string, min: number, max: number): string {
  return min === 0 ? `(${x} = '' OR ${plainEnds(x, 1, max)})` : plainEnds(x, min, max);
}

/**
 * Builds the check for a source whose columns have the given DuckDB types, or `undefined` when a
 * mapped column's type is not one the check handles.
 */
export function buildSqlCheck(
  sources: readonly FieldSource[],
  names: readonly string[],
  types: readonly string[],
): SqlCheck | undefined {
  const column = new Map(sources.map((s) => [s.field, s.index]));
  const ref = (field: string) => {
    const index = column.get(field);
    return index === undefined ? undefined : quoteIdentifier(names[index]!);
  };
  const typeOf = (field: string) => {
    const index = column.get(field);
    return index === undefined ? undefined : types[index];
  };
  const conditions: string[] = [];
  const values: string[] = [];
  const ms: Record<string, string> = {};
  for (const c of incidentColumns) {
    const x = ref(c.name);
    const type = typeOf(c.name);
    if (c.name === 'id') {
      if (!x) {
        values.push(absentId);
        continue;
      }
      if (type !== 'UUID' && !textTypes.has(type!)) return undefined;
      const id = type === 'UUID' ? `CAST(${x} AS VARCHAR)` : x;
      conditions.push(`(${x} IS NULL OR regexp_full_match(${id}, '${uuidPattern}'))`);
      values.push(id);
      continue;
    }
    if (x === undefined) {
      // A missing status is derived from the timestamps (below), as the schema derives it.
      if (c.required && c.kind !== 'int' && c.name !== 'status') return undefined;
      values.push(c.kind === 'int' && c.required ? '0' : 'NULL');
      if (c.kind === 'timestamp') ms[c.name] = 'NULL';
      continue;
    }
    switch (c.kind) {
      case 'text': {
        if (!textTypes.has(type!)) return undefined;
        const [min, max] = textLimits[c.name] ?? [0, 10_000];
        conditions.push(c.required ? plainText(x, min, max) : `(${x} IS NULL OR ${plainText(x, min, max)})`);
        values.push(x);
        break;
      }
      case 'enum': {
        if (!textTypes.has(type!)) return undefined;
        const allowed = (enumValues[c.name] ?? []).map((v) => `'${v}'`).join(', ');
        // `status` is stored NOT NULL but optional on input: derived from the timestamps when absent.
        const required = c.required && c.name !== 'status';
        conditions.push(required ? `${x} IN (${allowed})` : `(${x} IS NULL OR ${x} IN (${allowed}))`);
        values.push(x);
        break;
      }
      case 'timestamp': {
        if (!timestampTypes.has(type!)) return undefined;
        const epoch = `epoch_ms(${x})`;
        ms[c.name] = epoch;
        const inRange = `${epoch} BETWEEN 0 AND 253402300799999`;
        conditions.push(c.required ? inRange : `(${x} IS NULL OR ${inRange})`);
        values.push(`CAST(${epoch} AS DOUBLE)`);
        break;
      }
      case 'int': {
        if (!intTypes.has(type!)) return undefined;
        const inRange = `${x} BETWEEN 0 AND ${maxCount}`;
        conditions.push(`(${x} IS NULL OR ${inRange})`);
        values.push(c.required ? `CAST(coalesce(${x}, 0) AS INTEGER)` : `CAST(${x} AS INTEGER)`);
        break;
      }
      case 'text[]': {
        if (type !== 'VARCHAR[]') return undefined;
        conditions.push(
          `(${x} IS NULL OR (len(${x}) <= 50 AND coalesce(list_bool_and(list_transform(${x}, t -> t IS NOT NULL AND ${plainText('t', 0, 100)})), true)))`,
        );
        values.push(x);
        break;
      }
    }
  }
  return finishCheck(conditions, values, ms);
}

/**
 * The rules every format's set-wise check ends with: each later timestamp (`ms`: the SQL of each
 * timestamp field in epoch milliseconds, `NULL` when unmapped) not before `created_at`, and the
 * status the schema derives from the timestamps when none is given (rewritten in `values`).
 */
export function finishCheck(
  conditions: string[],
  values: string[],
  ms: Readonly<Record<string, string>>,
): SqlCheck {
  const created = ms['created_at']!;
  for (const later of ['acknowledged_at', 'resolved_at', 'closed_at']) {
    const at = ms[later];
    if (at && at !== 'NULL') conditions.push(`(${at} IS NULL OR ${at} >= ${created})`);
  }
  const statusIndex = incidentColumns.findIndex((c) => c.name === 'status');
  const given = values[statusIndex]!;
  const derived = `CASE WHEN ${ms['closed_at']} IS NOT NULL THEN 'CLOSED' WHEN ${ms['resolved_at']} IS NOT NULL THEN 'RESOLVED' WHEN ${ms['acknowledged_at']} IS NOT NULL THEN 'ACKNOWLEDGED' ELSE 'OPEN' END`;
  values[statusIndex] = given === 'NULL' ? derived : `coalesce(${given}, ${derived})`;
  return { predicate: conditions.length > 0 ? conditions.join(' AND ') : 'true', values };
}
