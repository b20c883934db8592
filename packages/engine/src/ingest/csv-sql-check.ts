import { incidentColumns, maxCount } from '../schema/incident.ts';
import type { FieldSource } from './column-mapping.ts';
import {
  absentId,
  enumValues,
  finishCheck,
  plainEnds,
  quoteIdentifier,
  type SqlCheck,
  textLimits,
  uuidPattern,
} from './sql-check.ts';

/**
 * A {@link SqlCheck} over the columns of an inner select of the source (`inputs`): each mapped cell
 * with an empty one as no value, and each timestamp's epoch milliseconds, computed once per row
 * however often the check and the staged values use them.
 */
export interface TextSqlCheck extends SqlCheck {
  /** The inner select list over the source's columns. */
  readonly inputs: string[];
}

/**
 * The twin of `buildSqlCheck` for text sources (CSV, TSV) that DuckDB reads with every column as
 * VARCHAR: SQL that says, per row, "plainly valid", and the SQL that turns such a row into its
 * staged values, exactly what `tabularRecord` + `fastValidate` give for the same cells. It accepts
 * only a subset of what the schema accepts; a file with any other row goes through the JS path,
 * which gives the verdict and the messages. An empty cell is no value (as `tabularRecord` says).
 * The subset:
 *
 * - text starts and ends with a printable ASCII character (JS `trim()` would change nothing) and
 *   its UTF-8 byte length (never less than its UTF-16 length) is within the limit;
 * - an id is a UUID as `z.uuid()` spells it (kept as written, as the schema does);
 * - a timestamp is `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with 1 to 3 decimals or none and an
 *   optional `Z` (a local time is UTC, as `isoToDate` says), names a real day, from 1970 on;
 * - a count is 1 to 10 ASCII digits, at most the INTEGER maximum;
 * - tags are printable ASCII not starting with `[` (no JSON array), split on `;` and trimmed as
 *   `tabularRecord` splits them, at most 50 of at most 100 characters.
 */
export function buildTextSqlCheck(
  sources: readonly FieldSource[],
  names: readonly string[],
): TextSqlCheck | undefined {
  const column = new Map(sources.map((s) => [s.field, s.index]));
  const inputs: string[] = [];
  const conditions: string[] = [];
  const values: string[] = [];
  const ms: Record<string, string> = {};
  for (const c of incidentColumns) {
    const index = column.get(c.name);
    if (index === undefined) {
      // A missing status is derived from the timestamps (below), as the schema derives it.
      if (c.required && c.kind !== 'int' && c.name !== 'status') return undefined;
      values.push(c.name === 'id' ? absentId : c.kind === 'int' && c.required ? '0' : 'NULL');
      if (c.kind === 'timestamp') ms[c.name] = 'NULL';
      continue;
    }
    // Text sources have no nulls: an empty cell is no value.
    const cell = `nullif(${quoteIdentifier(names[index]!)}, '')`;
    const x = quoteIdentifier(`cell_${c.name}`);
    inputs.push(`${cell} AS ${x}`);
    // `status` is stored NOT NULL but optional on input: derived from the timestamps when absent.
    const required = c.required && c.name !== 'status';
    const optional = (condition: string) =>
      required ? `(${x} IS NOT NULL AND ${condition})` : `(${x} IS NULL OR ${condition})`;
    switch (c.kind) {
      case 'uuid':
        conditions.push(optional(`regexp_full_match(${x}, '${uuidPattern}')`));
        values.push(x);
        break;
      case 'text': {
        const [min, max] = textLimits[c.name] ?? [0, 10_000];
        conditions.push(optional(plainEnds(x, min, max)));
        values.push(x);
        break;
      }
      case 'enum':
        conditions.push(optional(`${x} IN (${(enumValues[c.name] ?? []).map((v) => `'${v}'`).join(', ')})`));
        values.push(x);
        break;
      case 'timestamp': {
        // No value (NULL) when the cell is empty: try_cast of NULL is NULL.
        const epoch = quoteIdentifier(`ms_${c.name}`);
        inputs.push(`epoch_ms(try_cast(${cell} AS TIMESTAMP)) AS ${epoch}`);
        ms[c.name] = epoch;
        conditions.push(
          optional(
            `regexp_full_match(${x}, '${timestampPattern}') AND ${epoch} BETWEEN 0 AND 253402300799999`,
          ),
        );
        values.push(`CAST(${epoch} AS DOUBLE)`);
        break;
      }
      case 'int': {
        const number = `try_cast(${x} AS BIGINT)`;
        conditions.push(
          `(${x} IS NULL OR (regexp_full_match(${x}, '[0-9]{1,10}') AND ${number} <= ${maxCount}))`,
        );
        values.push(c.required ? `CAST(coalesce(${number}, 0) AS INTEGER)` : `CAST(${number} AS INTEGER)`);
        break;
      }
      case 'text[]': {
        const list = `list_filter(list_transform(string_split(trim(${x}), ';'), t -> trim(t)), t -> t <> '')`;
        // Text of at most 100 bytes has at most 50 non-empty pieces (k pieces take 2k - 1 bytes) of
        // at most 100 bytes each, so the lambdas only run on longer text.
        conditions.push(
          optional(
            `regexp_full_match(${x}, '[\\x20-\\x7E]*') AND NOT starts_with(ltrim(${x}), '[') AND CASE WHEN strlen(${x}) <= 100 THEN true ELSE len(${list}) <= 50 AND list_bool_and(list_transform(${list}, t -> strlen(t) <= 100)) IS NOT false END`,
          ),
        );
        // Without spaces, empty pieces or ';' at an end, the pieces are the split as it is.
        const plainSplit = `NOT contains(${x}, ' ') AND NOT contains(${x}, ';;') AND NOT starts_with(${x}, ';') AND NOT ends_with(${x}, ';')`;
        values.push(
          `CASE WHEN ${x} IS NULL THEN NULL WHEN ${plainSplit} THEN string_split(${x}, ';') ELSE ${list} END`,
        );
        break;
      }
    }
  }
  return { ...finishCheck(conditions, values, ms), inputs };
}

/** `YYYY-MM-DD`, or a date-time to the second with up to 3 decimals and an optional `Z` (RE2). */
export const timestampPattern =
  '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z?)?';
