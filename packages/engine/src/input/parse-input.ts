import type { z } from 'zod';
import { EngineError } from '../errors.ts';
import { zodIssuesToFieldErrors } from './field-errors.ts';

/**
 * Parses `value` with `schema`: what a service calls on input before it reads or writes anything.
 *
 * @throws EngineError VALIDATION_ERROR `invalid <what>: <field> <message>` (the first field error),
 *   with every field error in `details.errors` and the first one's field in `details.field`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = zodIssuesToFieldErrors(parsed.error.issues);
    const first = errors[0];
    throw new EngineError(
      'VALIDATION_ERROR',
      `invalid ${what}${first ? `: ${first.field} ${first.message}` : ''}`,
      { errors: errors as never, ...(first ? { field: first.field } : {}) },
    );
  }
  return parsed.data;
}
