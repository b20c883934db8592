/**
 * Stable error codes of the engine. The HTTP server maps each to a status and the CLI to an exit
 * code; clients may rely on them.
 */
export const errorCodes = [
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_DATA',
  'UNSUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SCHEMA_TOO_NEW',
  'CANCELLED',
  'WORKER_FAILED',
  'INTERNAL',
] as const;

/** One of {@link errorCodes}. */
export type ErrorCode = (typeof errorCodes)[number];

/**
 * The one error type the engine throws on purpose. `code` is stable, `message` is a sentence for
 * people, `details` is whatever helps a caller fix the request (row-level errors, a position in a
 * formula, the allowed values of a field).
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/** True when `value` is an {@link EngineError} (also across worker-thread boundaries by shape). */
export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}

/** Shorthand for a NOT_FOUND error about `what` with identifier `id`. */
export function notFound(what: string, id: string): EngineError {
  return new EngineError('NOT_FOUND', `${what} ${id} was not found`, { id });
}
