import { z } from '@hono/zod-openapi';

/** The spec's error body, as an OpenAPI component. */
const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'Invalid query parameter page: must be 1 or more' }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          'An object or null: what helps fix the request. A 400 has `errors` ([{field, message}]), ' +
          '`parameter` (query and path) and, for unknown names, `accepted`; a 500 has `request_id`.',
        example: { parameter: 'page', errors: [{ field: 'page', message: 'must be 1 or more' }] },
      }),
    code: z.string().openapi({ example: 'VALIDATION_ERROR' }),
  })
  .openapi('Error');

/** What each error status means, as the document describes it. */
export const errorDescriptions: Readonly<Record<number, string>> = {
  400:
    'Invalid request: the message names the bad parameter or field. Unknown body fields and query ' +
    'parameters are refused by name, as is a query parameter given more than once.',
  401: 'Authentication required or failed',
  403: 'Insufficient permissions',
  404: 'Not found (also a page past the end of a list)',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  415: 'Unsupported content type',
  422: 'Valid request that cannot be processed (e.g. not enough data)',
  429: 'Rate limit exceeded; see Retry-After',
};

/**
 * Standard error responses for a route's `responses`, e.g.
 * `responses: { 200: {...}, ...errorResponses(400, 404) }`. 401 and 429 are always included, as
 * every authenticated route can answer them.
 */
export function errorResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }
  > = {};
  for (const status of new Set([...statuses, 401, 429])) {
    out[status] = {
      description: errorDescriptions[status] ?? 'Error',
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  return out;
}

/** The paginated list schema `{count, next, previous, results: item[]}`, named `<name>Page`. */
export function paginatedSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      count: z.number().int(),
      next: z.string().url().nullable(),
      previous: z.string().url().nullable(),
      results: z.array(item),
    })
    .openapi(`${name}Page`);
}

/** JSON content of a response or body: `{ 'application/json': { schema } }`. */
export function jsonContent<T extends z.ZodType>(schema: T) {
  return { 'application/json': { schema } } as const;
}

/** Path parameter `id` (UUID). */
export const IdParams = z.object({
  id: z.uuid({ error: 'must be a UUID' }).openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});

/** Names of the security schemes in the document. */
export const securitySchemes = {
  tokenAuth: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'API token: `Authorization: Token <key>` (or `Bearer <key>`)',
  },
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'OpenID Connect ID/access token',
  },
  sessionAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: 'insights_session',
    description: 'Session cookie from POST /api/auth/login/; unsafe methods also need X-CSRF-Token',
  },
} as const;
