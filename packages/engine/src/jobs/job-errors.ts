import { EngineError, type ErrorCode, errorCodes, isEngineError } from '../errors.ts';
import type { Job, JobError, JsonValue } from './job-types.ts';

/** Error codes that say the request itself is wrong: retrying cannot help, the job fails at once. */
const finalErrorCodes: readonly string[] = ['VALIDATION_ERROR', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'];

/** The reason stored on a job whose process stopped while it ran. */
export const interruptedError: JobError = {
  code: 'INTERNAL',
  message: 'interrupted: the process running it stopped',
  details: null,
};

/** `value` as JSON (Dates as ISO strings, `undefined` dropped); `null` when it cannot be. */
export function toJsonValue(value: unknown): JsonValue | null {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return null;
  }
}

/** What a handler's error is stored as: an EngineError keeps its code and details, anything else is INTERNAL. */
export function toJobError(error: unknown): JobError {
  if (isEngineError(error)) {
    return { code: error.code, message: error.message, details: toJsonValue(error.details) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, details: null };
}

/** True when an error with `code` is final (see {@link finalErrorCodes}). */
export function isFinalError(error: JobError): boolean {
  return finalErrorCodes.includes(error.code);
}

/**
 * The wait before run `attempt + 1` after run `attempt` failed: `baseSeconds × 2^(attempt − 1)`
 * (exponential backoff: base, 2 × base, 4 × base, ...), at most one day.
 */
export function backoffSeconds(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), 86_400);
}

/**
 * The {@link EngineError} a FAILED job ended with: same code, message and details, so a shell that
 * ran the work as a job exits or answers exactly as if the work had thrown.
 *
 * @throws EngineError CONFLICT when the job has not failed.
 */
export function jobError(job: Job): EngineError {
  if (job.status !== 'FAILED' || !job.error) {
    throw new EngineError('CONFLICT', `job ${job.id} is ${job.status}, not FAILED`, {
      id: job.id,
      status: job.status,
    });
  }
  const code: ErrorCode = (errorCodes as readonly string[]).includes(job.error.code)
    ? (job.error.code as ErrorCode)
    : 'INTERNAL';
  return new EngineError(code, job.error.message, job.error.details ?? undefined);
}
