import { OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import { zodIssuesToFieldErrors } from '@incident-insights/engine';
import type { MiddlewareHandler } from 'hono';
import type { ZodError } from 'zod';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

const targetNames: Readonly<Record<string, string>> = {
  query: 'query parameter',
  param: 'path parameter',
  json: 'field',
  form: 'form field',
  header: 'header',
  cookie: 'cookie',
};

/** Known names of a strict object schema (for "accepted: ..." hints), or none. */
function knownKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/**
 * Turns a zod failure of one request part into a 400 `VALIDATION_ERROR` whose message names the
 * first bad parameter and whose details list them all: `{ parameter, errors: [{field, message}] }`.
 * Each unknown name is an error of its own (`unknown field` / `unknown parameter`), and
 * `details.accepted` then lists the names the route knows.
 */
function validationError(target: string, error: ZodError, accepted?: readonly string[]): ApiError {
  const what = targetNames[target] ?? target;
  const errors = zodIssuesToFieldErrors(error.issues, { wholeInput: target, unknownKey: `unknown ${what}` });
  const unknown = error.issues.some((issue) => issue.code === 'unrecognized_keys');
  const first = errors[0];
  const unknownNames = errors.filter((e) => e.message === `unknown ${what}`).map((e) => e.field);
  const message =
    first?.message === `unknown ${what}`
      ? `Unknown ${what}${unknownNames.length > 1 ? 's' : ''} ${unknownNames.join(', ')}` +
        (accepted ? ` (accepted: ${accepted.length ? accepted.join(', ') : 'none'})` : '')
      : first
        ? `Invalid ${what} ${first.field}: ${first.message}`
        : `Invalid ${what}`;
  return new ApiError(400, message, {
    code: 'VALIDATION_ERROR',
    details: {
      ...(target === 'json' ? {} : { parameter: first?.field }),
      errors,
      ...(unknown && accepted ? { accepted } : {}),
    },
  });
}

/**
 * Refuses a query parameter given more than once (`metric_type=MTTA&metric_type=MTTR`): every
 * parameter takes one value, and the filters that take several take them comma-separated.
 */
const rejectRepeatedQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.length > 1) {
      throw new ApiError(
        400,
        `Invalid query parameter ${name}: given ${values.length} times; give each parameter once ` +
          '(filters that take several values take them comma-separated, e.g. severity=HIGH,CRITICAL)',
        {
          code: 'VALIDATION_ERROR',
          details: { parameter: name, errors: [{ field: name, message: 'given more than once' }] },
        },
      );
    }
  }
  await next();
};

/**
 * For a route whose JSON body is optional: an empty body sent with `Content-Type: application/json`
 * (as `curl -X POST -H 'Content-Type: application/json'` does) means no body, `{}`, not malformed
 * JSON.
 */
const emptyJsonIsNoBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (
    /^application\/json\b/i.test(c.req.header('Content-Type') ?? '') &&
    (await c.req.text()).trim() === ''
  ) {
    // Hono keeps the body promises here (typed as values); c.req.json() parses the cached text.
    (c.req.bodyCache as unknown as { text?: Promise<string> }).text = Promise.resolve('{}');
  }
  await next();
};

/** A route that declares no query parameters takes none: any one given is refused by name. */
const noQuery = z.strictObject({});

/**
 * A new resource sub-app. Its routes are declared with `createRoute` + `.openapi()` and so appear
 * in the OpenAPI document; bad query, path or body input answers 400 naming the parameter. Every
 * route refuses a repeated query parameter, and a route without a query schema refuses any query
 * parameter (body and query schemas are declared strict: unknown names are refused, not ignored).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });
  const register = app.openapi;
  app.openapi = ((route: RouteConfig, handler: never, hook?: never) => {
    const query = route.request?.query ?? noQuery;
    const bodySchema = (route.request?.body?.content as Record<string, { schema?: unknown }> | undefined)?.[
      'application/json'
    ]?.schema;
    const accepted: Record<string, string[] | undefined> = {
      query: knownKeys(query),
      json: knownKeys(bodySchema),
    };
    const middleware = route.middleware ?? [];
    const optionalBody = bodySchema !== undefined && route.request?.body?.required !== true;
    return register(
      {
        ...route,
        middleware: [
          ...(Array.isArray(middleware) ? middleware : [middleware]),
          rejectRepeatedQuery,
          ...(optionalBody ? [emptyJsonIsNoBody] : []),
        ],
        request: { ...route.request, query },
      },
      handler,
      hook ??
        (((result: { success: boolean; target: string; error?: ZodError }) => {
          if (!result.success && result.error) {
            throw validationError(result.target, result.error, accepted[result.target]);
          }
        }) as never),
    );
  }) as unknown as typeof app.openapi;
  return app;
}
