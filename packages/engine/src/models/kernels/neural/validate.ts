import { invalid } from '../option-checks.ts';

export { checkKeys, invalid, numberOption } from '../option-checks.ts';

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
