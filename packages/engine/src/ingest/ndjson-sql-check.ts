import { incidentColumns, maxCount } from '../schema/incident.ts';
import { timestampPattern } from './csv-sql-check.ts';
import {
  absentId,
  enumValues,
  finishCheck,
  plainText,
  type SqlCheck,
  textLimits,
  uuidPattern,
} from './sql-check.ts';
import type { ColumnMapping, IgnoredColumns } from './types.ts';

/** The column `read_json` gives each line read as a map: its keys mapped to their values as JSON. */
export const ndjsonRecordColumn = 'j';
const record = ndjsonRecordColumn;

/**
 * How the statement reaches a line's values. `read_json` gives each line either as one
 * `MAP(VARCHAR, JSON)` in column `j` (any keys: the check counts them), or, when its sample of the
 * file has shown the keys, as one `JSON` column per key, in `positions` order (DuckDB refuses a line
 * with another key or a key twice, so the check need not count).
 */
export type NdjsonRead =
  | { readonly as: 'map' }
  | { readonly as: 'columns'; readonly positions: ReadonlyMap<string, number> };

/** A {@link SqlCheck} over the columns of an inner select of what `read_json` gives. */
export interface NdjsonSqlCheck extends SqlCheck {
  /** Select list over what `read_json` gives (each value taken once). */
  readonly columns: readonly string[];
  /** Select list over {@link columns}: the text each JSON string stands for. */
  readonly strings: readonly string[];
  /** Select list over {@link strings} (each timestamp and list converted once). */
  readonly derived: readonly string[];
  /**
   * The keys the statement looks up in a map, bound as parameters (`$key0`, ...): never pasted into
   * SQL. (Read by columns, the statement takes each column by its position.)
   */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The twin of `buildSqlCheck` for NDJSON read as `read` says: SQL that says, per row, "plainly
 * valid", and the SQL that turns such a row into its staged values, exactly what `readNdjson` (with
 * `objectReshaper`) and `fastValidate` or the schema give for the same line. It accepts only a
 * subset of what the schema accepts; a file with any other row goes through the JS path, which
 * gives the verdict and the messages. JSON `null` is no value, as in JS. The subset:
 *
 * - the keys are distinct and each is an incident field, a key to ignore or a mapped key (any other
 *   key is refused in JS); the value of a key that is not read holds no `NaN` or `Infinity`;
 * - text is a JSON string that starts and ends with a printable ASCII character (JS `trim()` would
 *   change nothing) and whose UTF-8 byte length is within the limit; an enumerated value is one of
 *   its allowed strings; an id is a string spelt as `z.uuid()` wants;
 * - a timestamp is a string `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with 1 to 3 decimals or none and
 *   an optional `Z`, naming a real day from 1970 on;
 * - a count is a JSON integer or a string of 1 to 10 ASCII digits, at most the INTEGER maximum;
 * - tags are an array of at most 50 strings of at most 100 bytes, each empty or plain as text is.
 */
export function buildNdjsonSqlCheck(
  mapping: ColumnMapping | undefined,
  ignore: IgnoredColumns | undefined,
  read: NdjsonRead = { as: 'map' },
): NdjsonSqlCheck {
  const ignored = new Set(ignore ?? []);
  // As `objectReshaper`: a mapped field reads its key, an ignored field name is dropped.
  const keyOf = (field: string) => mapping?.[field] ?? (ignored.has(field) ? undefined : field);
  const allowed = ndjsonAllowedKeys(mapping, ignore);
  const params: Record<string, string> = {};
  const keyParams = new Map<string, string>();
  const keyRef = (key: string) => {
    let ref = keyParams.get(key);
    if (ref === undefined) {
      ref = `key${keyParams.size}`;
      keyParams.set(key, ref);
      params[ref] = key;
    }
    return `$${ref}`;
  };
  // The JSON text of a key's value: NULL when the line has no such key or its value is JSON null.
  const jsonOf = (key: string) => {
    if (read.as === 'map') return `${record}[${keyRef(key)}]`;
    const position = read.positions.get(key);
    return position === undefined ? 'CAST(NULL AS JSON)' : `#${position + 1}`;
  };
  const columns: string[] = [];
  if (read.as === 'map') {
    // Every key is allowed and none is given twice: as many entries as allowed keys present.
    const present = allowed.map((key) => `map_contains(${record}, ${keyRef(key)})::INTEGER`).join(' + ');
    columns.push(`(${record} IS NOT NULL AND cardinality(${record}) = ${present}) AS known_keys`);
  } else {
    // DuckDB refused any other key and a key twice; a line `null` gives no value, as `{}` does.
    columns.push('true AS known_keys');
  }
  const strings: string[] = [];
  const derived: string[] = [];
  const conditions = ['known_keys'];
  // The values of keys no field reads (ignored, or a field's name mapped to another key) are never
  // read, but `JSON.parse` still refuses a NaN or an infinity. (Read by columns, each such column is
  // also referenced here, so DuckDB reads every column and refuses a line with another key.)
  const readKeys = new Set(incidentColumns.map((c) => keyOf(c.name)));
  allowed
    .filter((key) => !readKeys.has(key))
    .filter((key) => read.as === 'map' || read.positions.has(key))
    .forEach((key, i) => {
      columns.push(`coalesce(NOT ${hasNonFinite(jsonOf(key))}, true) AS finite${i}`);
      conditions.push(`finite${i}`);
    });
  const values: string[] = [];
  const ms: Record<string, string> = {};
  incidentColumns.forEach((c, i) => {
    const key = keyOf(c.name);
    if (key === undefined) {
      values.push(c.kind === 'uuid' ? absentId : c.kind === 'int' && c.required ? '0' : 'NULL');
      // A required field that no key can give: no row is plainly valid.
      if (c.required && c.kind !== 'int' && c.name !== 'status') conditions.push('false');
      if (c.kind === 'timestamp') ms[c.name] = 'NULL';
      return;
    }
    // JSON text of the value (minified; NULL for JSON null or no key), and the string it stands
    // for when it is a JSON string, each computed once per row (inner select).
    const v = `v${i}`;
    const unquoted = `s${i}`;
    columns.push(`${jsonOf(key)} AS ${v}`);
    // The text a JSON string stands for (escapes decoded). Read only where the value is a string.
    strings.push(`${v} ->> '$' AS ${unquoted}`);
    // `status` is stored NOT NULL but optional on input: derived from the timestamps when absent.
    const required = c.required && c.name !== 'status' && c.kind !== 'int';
    const optional = (condition: string) =>
      required ? `(${v} IS NOT NULL AND ${condition})` : `(${v} IS NULL OR ${condition})`;
    switch (c.kind) {
      case 'uuid':
        conditions.push(optional(`regexp_full_match(${v}, '"(?:${uuidPattern})"')`));
        values.push(unquoted);
        break;
      case 'text': {
        const [min, max] = textLimits[c.name] ?? [0, 10_000];
        conditions.push(optional(`starts_with(${v}, '"') AND ${plainText(unquoted, min, max)}`));
        values.push(unquoted);
        break;
      }
      case 'enum': {
        // `IN`, as the CSV and Parquet checks: DuckDB plans a list of five or more constants as a
        // join, and then inserts without its batch insert, still in the file's order. On the peer's
        // 1 M lines that took 4.1-4.3 s where `list_contains` and the batch insert took 4.5-4.6 s.
        const allowedValues = (enumValues[c.name] ?? []).map((value) => sqlString(`"${value}"`));
        conditions.push(optional(`CAST(${v} AS VARCHAR) IN (${allowedValues.join(', ')})`));
        values.push(unquoted);
        break;
      }
      case 'timestamp': {
        const epoch = `e${i}`;
        derived.push(`epoch_ms(try_cast(${unquoted} AS TIMESTAMP)) AS ${epoch}`);
        ms[c.name] = `(CASE WHEN ${v} IS NULL THEN NULL ELSE ${epoch} END)`;
        conditions.push(
          optional(
            `regexp_full_match(${v}, '"(?:${timestampPattern})"') AND ${epoch} BETWEEN 0 AND 253402300799999`,
          ),
        );
        values.push(`CAST(${epoch} AS DOUBLE)`);
        break;
      }
      case 'int': {
        const number = `try_cast(trim(${v}, '"') AS BIGINT)`;
        conditions.push(
          optional(`regexp_full_match(${v}, '[0-9]{1,10}|"[0-9]{1,10}"') AND ${number} <= ${maxCount}`),
        );
        values.push(c.required ? `CAST(coalesce(${number}, 0) AS INTEGER)` : `CAST(${number} AS INTEGER)`);
        break;
      }
      case 'text[]': {
        // Cast where it is read, in the branches taken by the arrays the pattern does not settle.
        const items = `CAST(${v} AS JSON[])`;
        // An array of at most 104 bytes of plain ASCII strings holds at most 34 strings (each takes 3
        // bytes or more) of at most 100 bytes: one pattern says it, and the lambdas only run on others.
        const exact = `starts_with(${v}, '[') AND len(${items}) <= 50 AND list_bool_and(list_transform(${items}, t -> coalesce(starts_with(t, '"') AND ${plainText(`(t ->> '$')`, 0, 100)}, false))) IS NOT false`;
        conditions.push(
          optional(
            `CASE WHEN strlen(${v}) <= 104 AND regexp_full_match(${v}, '${plainStringArray}') THEN true ELSE ${exact} END`,
          ),
        );
        // Strings without a backslash or other than ASCII are the text between the quotes, and the
        // only '","' of the array text are between two strings.
        values.push(
          `CASE WHEN ${v} IS NULL THEN NULL WHEN ${v} = '[]' THEN [] WHEN NOT contains(${v}, '\\') AND strlen(${v}) = length(${v}) THEN string_split(${v}[3:-3], '","') ELSE list_transform(${items}, t -> (t ->> '$')) END`,
        );
        break;
      }
    }
  });
  return { ...finishCheck(conditions, values, ms), columns, strings, derived, params };
}

/** The keys a line may hold: the incident fields, the keys to ignore and the mapped keys. */
export function ndjsonAllowedKeys(
  mapping: ColumnMapping | undefined,
  ignore: IgnoredColumns | undefined,
): string[] {
  return [
    ...new Set([...incidentColumns.map((c) => c.name), ...(ignore ?? []), ...Object.values(mapping ?? {})]),
  ];
}

/**
 * Whether minified JSON holds a NaN or an infinity as a value (DuckDB reads them; `JSON.parse`
 * refuses them): one after `[`, `:` or `,`, or the whole value. A string holding such text is taken
 * for one too, which only sends the file to the JS path.
 */
function hasNonFinite(json: string): string {
  return `regexp_matches(${json}, '(?i)(^|[\\[:,])[-+]?(nan|inf)')`;
}

/**
 * Minified JSON text of an array of strings, each empty or starting and ending with printable ASCII
 * other than space, with nothing but printable ASCII between, and no quote or backslash (RE2).
 */
const plainString = '"(?:[!#-\\[\\]-~](?:[ !#-\\[\\]-~]*[!#-\\[\\]-~])?)?"';
const plainStringArray = `\\[(?:${plainString}(?:,${plainString})*)?\\]`;

/** A SQL string literal. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
