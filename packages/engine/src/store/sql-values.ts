import {
  BOOLEAN,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  TIMESTAMP,
  timestampValue,
  VARCHAR,
} from '@duckdb/node-api';

/** A JS value that {@link bind} turns into a DuckDB value: primitives, `Date`s and arrays of them. */
export type SqlValue = DuckDBValue | Date | readonly SqlValue[] | TypedList | undefined;

/** The item types a {@link TypedList} may declare. */
const listItemTypes = {
  VARCHAR: VARCHAR,
  INTEGER: INTEGER,
  DOUBLE: DOUBLE,
  BOOLEAN: BOOLEAN,
  TIMESTAMP: TIMESTAMP,
  'VARCHAR[]': LIST(VARCHAR),
} as const;

/**
 * A list parameter whose item type is declared rather than inferred: an array's type is taken from
 * its first item, so a list that starts with a null (or an empty list) would lose the values after
 * it. Made by {@link typedList}.
 */
export class TypedList {
  constructor(
    readonly itemType: keyof typeof listItemTypes,
    readonly items: readonly SqlValue[],
  ) {}
}

/** A list of `items` (null for `undefined` or `null`) bound as a list of `itemType`. */
export function typedList(itemType: keyof typeof listItemTypes, items: readonly SqlValue[]): TypedList {
  return new TypedList(itemType, items);
}

/** Values bound to `$name` placeholders. Never interpolate user text into SQL: bind it. */
export type SqlParams = Readonly<Record<string, SqlValue>>;

/**
 * Converts JS parameters to DuckDB values: a `Date` becomes a TIMESTAMP (UTC microseconds), an
 * array a LIST (an empty one typed as VARCHAR[]), `undefined` NULL.
 */
export function bind(params: SqlParams | undefined): {
  values: Record<string, DuckDBValue> | undefined;
  types: Record<string, DuckDBType> | undefined;
} {
  if (!params) return { values: undefined, types: undefined };
  const values: Record<string, DuckDBValue> = {};
  let types: Record<string, DuckDBType> | undefined;
  for (const [key, value] of Object.entries(params)) {
    values[key] = toDuckValue(value);
    if (value instanceof TypedList) {
      types ??= {};
      types[key] = LIST(listItemTypes[value.itemType]);
    } else if (Array.isArray(value) && value.length === 0) {
      types ??= {};
      types[key] = LIST(VARCHAR);
    }
  }
  return { values, types };
}

function toDuckValue(value: SqlValue): DuckDBValue {
  if (value === undefined) return null;
  if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n);
  if (value instanceof TypedList) return listValue(value.items.map(toDuckValue));
  if (Array.isArray(value)) return listValue(value.map(toDuckValue));
  return value as DuckDBValue;
}

/** A row read as plain JS values (BIGINT as bigint, TIMESTAMP as Date, lists as arrays). */
export type Row = Record<string, unknown>;
