import type { FieldError, RowError } from '@incident-insights/engine';
import { type ErrorCode, isEngineError } from '@incident-insights/engine/vocabulary';
import { printable } from './format.ts';

/**
 * Process exit code of each engine error code: a `Record` over every code, so a new code does not
 * compile until it is given one. 1 is what nobody planned for: INTERNAL, and anything that is not
 * an engine error.
 */
export const exitCodes: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  INSUFFICIENT_DATA: 5,
  UNSUPPORTED: 6,
  SCHEMA_TOO_NEW: 7,
  FORBIDDEN: 8,
  UNAUTHENTICATED: 8,
  RATE_LIMITED: 9,
  CANCELLED: 10,
  WORKER_FAILED: 11,
  INTERNAL: 1,
};

/** Exit code of a usage error (unknown command or option, missing argument): bad input, as VALIDATION_ERROR. */
export const usageErrorExitCode = 2;

/**
 * Prints one line about `error` on stderr (control characters escaped: messages may echo input)
 * and returns the exit code to end with.
 */
export function reportError(error: unknown): number {
  if (isEngineError(error)) {
    process.stderr.write(`insights: ${printable(`${error.message}${firstDetail(error.details)}`)}\n`);
    return exitCodes[error.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`insights: ${printable(message)}\n`);
  return 1;
}

/**
 * The first of the `{ field, message }` errors an engine error carries (the shape
 * `zodIssuesToFieldErrors` gives; ingestion adds the row and line), as `: line 3 severity: ...`.
 */
function firstDetail(details: unknown): string {
  const errors = (details as { errors?: readonly DetailError[] } | null)?.errors;
  const first = errors?.[0];
  if (!first) return '';
  const where =
    first.line !== undefined ? `line ${first.line}` : first.row !== undefined ? `row ${first.row}` : '';
  const at = [where, first.field].filter(Boolean).join(' ');
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `: ${at ? `${at}: ` : ''}${first.message ?? ''}${more}`;
}

/** A field error, or an ingested row's error, as an engine error's details list them. */
type DetailError = Partial<FieldError> & Partial<Pick<RowError, 'row' | 'line'>>;
