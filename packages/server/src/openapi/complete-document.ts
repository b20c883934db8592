import { errorDescriptions } from './schemas.ts';

/** The parts of an OpenAPI 3.1 operation this module reads and completes. */
interface Operation {
  operationId?: string;
  security?: readonly Record<string, readonly string[]>[];
  parameters?: readonly { name?: string; in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The parts of an OpenAPI 3.1 document this module reads and completes. */
interface Document {
  info?: Record<string, unknown>;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const unsafeMethods = new Set(['post', 'put', 'patch', 'delete']);

/** The drf-spectacular action of each method; a GET is `list` or `retrieve` (see {@link isListResponse}). */
const actionOfMethod: Readonly<Record<string, string>> = {
  post: 'create',
  put: 'update',
  patch: 'partial_update',
  delete: 'destroy',
  options: 'options',
  head: 'head',
  trace: 'trace',
};

/** A schema, with one `#/components/schemas/...` reference followed. */
function resolveSchema(doc: Document, schema: unknown): Record<string, unknown> | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const target = doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)];
    return target && typeof target === 'object' ? (target as Record<string, unknown>) : undefined;
  }
  return schema as Record<string, unknown>;
}

/**
 * Whether a GET answers a list of resources: its 200 JSON body has `results` (a page, as every list
 * of the API is). A summary, even one that is an array, is a `retrieve`, as in drf-spectacular.
 */
function isListResponse(doc: Document, operation: Operation): boolean {
  const ok = operation.responses?.['200'] as { content?: Record<string, { schema?: unknown }> } | undefined;
  const schema = resolveSchema(doc, ok?.content?.['application/json']?.schema);
  const properties = schema?.['properties'];
  return !!properties && typeof properties === 'object' && 'results' in properties;
}

/**
 * The operationId drf-spectacular would give: the path without its prefix (`/api/analytics/`, else
 * `/api/`) and without its parameters, words joined by `_`, then the action: `kpi_metrics_list`,
 * `kpi_metrics_retrieve` (`{id}`), `kpi_metrics_create`, `kpi_metrics_update` (PUT),
 * `kpi_metrics_partial_update` (PATCH), `kpi_metrics_destroy`; an action path keeps its name
 * (`anomaly_detections_acknowledge_create`, `kpi_metrics_summary_retrieve`). It depends only on the
 * method, the path and whether a GET answers a page, so it stays the same from release to release.
 */
function operationIdFor(doc: Document, method: string, path: string, operation: Operation): string {
  const prefix =
    path.startsWith('/api/analytics/') && path !== '/api/analytics/' ? '/api/analytics/' : '/api/';
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  const words = rest
    .split('/')
    .filter((segment) => segment !== '' && !segment.startsWith('{'))
    .map((segment) => segment.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''));
  const action =
    method === 'get' ? (isListResponse(doc, operation) ? 'list' : 'retrieve') : actionOfMethod[method];
  return [...words, action].join('_');
}

/**
 * The error statuses an operation can answer, from how the server treats every request:
 * - 400: always; every route validates its query (a route without parameters refuses any), path
 *   parameters and body, and refuses a query parameter given twice;
 * - 401 and 429: every operation that needs credentials (the rate limit counts per caller);
 * - 403: an authenticated unsafe method (roles limit every change, and a session needs its CSRF
 *   token); a read limited to some roles declares its own 403;
 * - 404: a path with a parameter (`{id}`), and a list (a page past the end);
 * - 413: an operation with a request body (every body has a size limit).
 * A 405 answers a method the path does not list: it is said once in the document's description,
 * since no operation of the document can receive it.
 */
function errorStatuses(method: string, path: string, operation: Operation, secured: boolean): number[] {
  const statuses = [400];
  if (secured) statuses.push(401, 429);
  if (secured && unsafeMethods.has(method)) statuses.push(403);
  const paged = operation.parameters?.some((p) => p.in === 'query' && p.name === 'page') ?? false;
  if (path.includes('{') || paged) statuses.push(404);
  if (operation.requestBody !== undefined) statuses.push(413);
  return statuses.sort((a, b) => a - b);
}

/** An error response with the spec's `{error, details, code}` body. */
function errorResponse(status: number, method: string) {
  const description =
    status === 403 && unsafeMethods.has(method)
      ? 'Insufficient permissions for this role, or a session request without its X-CSRF-Token'
      : (errorDescriptions[status] ?? 'Error');
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/**
 * Completes the generated OpenAPI document in one place, so that every route, including one added
 * later, gets the same treatment without declaring it: each operation without an `operationId`
 * gets a drf-spectacular style one, and each error response it can give (see
 * {@link errorStatuses}) that its route did not declare is added with the `Error` schema. What a
 * route declared is kept. The input is not changed.
 *
 * @throws Error when two operations would share an operationId (a client generator needs them
 *   unique): give one of them its own `operationId` in its route.
 */
export function completeDocument<T extends object>(generated: T): T {
  const doc = structuredClone(generated) as Document;
  const defaultSecurity = (doc['security'] as readonly unknown[] | undefined) ?? [];
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of httpMethods) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      operation.operationId ??= operationIdFor(doc, method, path, operation);
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(operation.operationId);
      if (other) throw new Error(`operationId ${operation.operationId} of ${where} is also that of ${other}`);
      seen.set(operation.operationId, where);
      const secured = (operation.security ?? defaultSecurity).length > 0;
      operation.responses ??= {};
      const responses = operation.responses;
      for (const status of errorStatuses(method, path, operation, secured)) {
        responses[String(status)] ??= errorResponse(status, method);
      }
    }
  }
  return doc as T;
}
