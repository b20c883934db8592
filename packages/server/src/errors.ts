import { type ErrorCode, isEngineError } from '@incident-insights/engine';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.ts';

/** The spec's error body: `{error, details, code}`; `details` is always an object or null. */
export interface ErrorBody {
  readonly error: string;
  readonly details: Readonly<Record<string, unknown>> | null;
  readonly code: string;
}

/**
 * Makes any `details` an object or null, as the OpenAPI document promises: a list becomes
 * `{errors: [...]}`, any other value `{detail: value}`.
 */
export function detailsObject(details: unknown): Readonly<Record<string, unknown>> | null {
  if (details === undefined || details === null) return null;
  if (Array.isArray(details)) return { errors: details };
  if (typeof details === 'object') return details as Record<string, unknown>;
  return { detail: details };
}

/** HTTP status of each engine error code. */
const statusOfCode: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_DATA: 422,
  UNSUPPORTED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  SCHEMA_TOO_NEW: 500,
  CANCELLED: 503,
  WORKER_FAILED: 500,
  INTERNAL: 500,
};

/** Error code of an HTTP-level failure that did not come from the engine. */
const codeOfStatus: Readonly<Record<number, string>> = {
  400: 'PARSE_ERROR',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/**
 * An error a route or middleware throws to answer with a given status and the spec's body.
 * Engine errors need no wrapping: throw them as they are and `onError` maps their code.
 */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly details: unknown;
  /** Extra response headers (e.g. `Retry-After`, `Allow`, `WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    message: string,
    options: { code?: string; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, { message });
    this.code = options.code ?? codeOfStatus[status] ?? 'ERROR';
    this.details = options.details ?? null;
    this.headers = options.headers ?? {};
  }
}

/** Builds an error response with the spec's body. */
function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  body: ErrorBody,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ ...body, details: detailsObject(body.details) }, status);
}

/**
 * The app's one error handler: engine errors by code, {@link ApiError}s and Hono's HTTP exceptions
 * by status; anything else is a 500 whose body carries only the request id, while the error
 * itself (with its stack) goes to the log.
 */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (isEngineError(error)) {
    const status = statusOfCode[error.code];
    if (status >= 500) return internal(error, c, error.code, status);
    return errorResponse(c, status, {
      error: error.message,
      details: detailsObject(error.details),
      code: error.code,
    });
  }
  if (error instanceof ApiError) {
    return errorResponse(
      c,
      error.status as ContentfulStatusCode,
      { error: error.message, details: detailsObject(error.details), code: error.code },
      error.headers,
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const status = error.status as ContentfulStatusCode;
    return errorResponse(c, status, {
      error: error.message || 'Request failed',
      details: null,
      code: codeOfStatus[status] ?? 'ERROR',
    });
  }
  return internal(error, c, 'INTERNAL', 500);
}

function internal(error: Error, c: Context<AppEnv>, code: string, status: ContentfulStatusCode): Response {
  const requestId = c.get('requestId');
  c.get('logger')?.error({ err: error, requestId }, 'request failed');
  return errorResponse(c, status, {
    error: status === 503 ? 'Service unavailable' : 'Internal server error',
    details: { request_id: requestId },
    code,
  });
}
