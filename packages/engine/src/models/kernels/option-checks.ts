import { EngineError } from '../../errors.ts';

/** Checks of the learners' options shared by the tree and neural kernels. */

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
