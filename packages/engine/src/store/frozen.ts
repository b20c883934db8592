/**
 * Whether `value` is plain data all the way down: primitives, `Date`s, arrays and objects whose
 * prototype is `Object.prototype` or `null` (what a row read from DuckDB, or a record made of one,
 * holds). Maps, sets, typed arrays and class instances are not.
 */
function isPlainData(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isPlainData);
}

function freeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (value instanceof Date) return;
  for (const item of Array.isArray(value) ? value : Object.values(value)) freeze(item);
}

/**
 * Freezes `value` and everything beneath it, when it is plain data (see above), so it can be
 * handed to any number of callers without a copy: none can change what another sees (a `Date`'s
 * time is the one thing freezing cannot guard, and no caller sets it). Returns whether it did;
 * a value that is not plain data is left as it is.
 */
export function deepFreeze(value: unknown): boolean {
  if (!isPlainData(value)) return false;
  freeze(value);
  return true;
}
