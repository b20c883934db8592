import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

/** One problem with a request: which parameter or body field, and what is wrong. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

const targetNames: Readonly<Record<string, string>> = {
  query: 'query parameter',
  param: 'path parameter',
  json: 'field',
  form: 'form field',
  header: 'header',
  cookie: 'cookie',
};

/**
 * Turns a zod failure of one request part into a 400 `VALIDATION_ERROR` whose message names the
 * first bad parameter and whose details list them all: `{ parameter, errors: [{field, message}] }`.
 */
export function validationError(target: string, error: ZodError): ApiError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || target,
    message: issue.message,
  }));
  const first = errors[0];
  const what = targetNames[target] ?? target;
  return new ApiError(400, first ? `Invalid ${what} ${first.field}: ${first.message}` : `Invalid ${what}`, {
    code: 'VALIDATION_ERROR',
    details: { ...(target === 'json' ? {} : { parameter: first?.field }), errors },
  });
}

/**
 * A new resource sub-app. Its routes are declared with `createRoute` + `.openapi()` and so appear
 * in the OpenAPI document; bad query, path or body input answers 400 naming the parameter.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });
}
