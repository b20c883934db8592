import { EngineError } from '../../../errors.ts';

/** Throws the kernels' one error: VALIDATION_ERROR naming the field. */
export function invalid(message: string, field: string): never {
  throw new EngineError('VALIDATION_ERROR', message, { field });
}

/** Refuses option names the learner does not know (a misspelt option would otherwise be ignored). */
export function checkKeys(options: object, known: readonly string[], learner: string): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    invalid(
      `unknown ${learner} option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${known.join(', ')}`,
      unknown[0] as string,
    );
  }
}

/** Checks an optional number option: an integer (when asked) within [min, max]; returns it or the default. */
export function numberOption(
  options: object,
  field: string,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
  openMin = false,
): number {
  const value = (options as Record<string, unknown>)[field];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (openMin ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    invalid(
      `${field} must be ${kind} ${openMin ? '>' : '≥'} ${min} and ≤ ${max} (got ${String(value)})`,
      field,
    );
  }
  return value as number;
}

/** Checks that every value of `values` is a finite number; `what` names the array in the message. */
export function checkFinite(values: ArrayLike<number>, what: string, width = 1): void {
  for (let at = 0; at < values.length; at++) {
    if (!Number.isFinite(values[at])) {
      const where = width > 1 ? `row ${Math.floor(at / width)}, column ${at % width}` : `position ${at}`;
      invalid(`${what} holds ${String(values[at])} at ${where}: values must be finite numbers`, what);
    }
  }
}

/** Checks a row-major matrix: `rows × cols` finite values in a Float32Array or Float64Array, at least `minRows` rows. */
export function checkMatrix(x: unknown, rows: number, cols: number, minRows = 1, what = 'x'): void {
  if (!(x instanceof Float32Array || x instanceof Float64Array)) {
    invalid(`${what} must be a Float32Array or a Float64Array`, what);
  }
  if (!Number.isInteger(rows) || rows < minRows) {
    invalid(`rows must be an integer ≥ ${minRows} (got ${String(rows)})`, 'rows');
  }
  if (!Number.isInteger(cols) || cols < 1)
    invalid(`cols must be an integer ≥ 1 (got ${String(cols)})`, 'cols');
  if (x.length !== rows * cols) {
    invalid(
      `${what} holds ${x.length} numbers, but rows × cols = ${rows} × ${cols} = ${rows * cols} (row-major)`,
      what,
    );
  }
  checkFinite(x, what, cols);
}
