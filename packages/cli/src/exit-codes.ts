import { type ErrorCode, isEngineError } from '@incident-insights/engine';
import { printable } from './format.ts';

/** Process exit code for each engine error code; 1 for anything unexpected. */
const exitCodes: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  INSUFFICIENT_DATA: 5,
  UNSUPPORTED: 6,
  SCHEMA_TOO_NEW: 7,
  FORBIDDEN: 8,
  UNAUTHENTICATED: 8,
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
    return exitCodes[error.code] ?? 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`insights: ${printable(message)}\n`);
  return 1;
}

function firstDetail(details: unknown): string {
  const errors = (
    details as { errors?: { row?: number; line?: number; field?: string; message?: string }[] } | null
  )?.errors;
  const first = errors?.[0];
  if (!first) return '';
  const where =
    first.line !== undefined ? `line ${first.line}` : first.row !== undefined ? `row ${first.row}` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `: ${where}${first.field ? ` ${first.field}` : ''}: ${first.message ?? ''}${more}`;
}
