/**
 * Makes a value safe for `JSON.stringify`: bigints (DuckDB BIGINT, counts) become numbers, Dates
 * stay (they serialise as ISO 8601 UTC). Use on engine results before `c.json()`. Arrays and
 * objects are copied only where a bigint lies beneath them; the rest is the value itself.
 */
export function toJson<T>(value: T): T {
  return convert(value) as T;
}

function convert(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const converted = convert(item);
      if (converted === item) continue;
      copy ??= value.slice();
      copy[i] = converted;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const field = record[key];
    const converted = convert(field);
    if (converted === field) continue;
    copy ??= { ...record };
    copy[key] = converted;
  }
  return copy ?? value;
}
