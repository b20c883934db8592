/**
 * Makes a value safe for `JSON.stringify`: bigints (DuckDB BIGINT, counts) become numbers, Dates
 * stay (they serialise as ISO 8601 UTC). Use on engine results before `c.json()`.
 */
export function toJson<T>(value: T): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(convert);
  if (ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = convert(v);
  return out;
}
