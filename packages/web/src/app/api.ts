/**
 * The API client of the web page: JSON over `fetch`, authenticated with a token
 * (`Authorization: Token ...`) or the session cookie plus `X-CSRF-Token` on unsafe methods.
 * GET answers are revalidated with their ETag, so a refresh that finds nothing new costs a 304.
 */

/** An error answer of the API (`{error, details, code}`), or a network failure (status 0). */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  /** The API's error code (`VALIDATION_ERROR`, `FORBIDDEN`, ...). */
  code: string;
  /** The API's `details`: for validation errors, the messages by field name. */
  details: unknown;

  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The calls pages and widgets make; paths are the API's (`/api/incidents/`). */
export interface Api {
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/** A page of a list endpoint (DRF's shape). */
export interface DrfPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** How requests are authenticated: a pasted API token, or the session the login started. */
export type Credentials = { kind: 'token'; token: string } | { kind: 'session'; csrfToken: string };

/** What {@link createApi} needs. */
export interface ApiOptions {
  credentials: Credentials;
  /** Called on any 401: the session expired or the token is no longer valid. */
  onUnauthorized?: () => void;
  /** The `fetch` to use (tests pass their own). */
  fetch?: typeof fetch;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds a path with its query string; `undefined` and empty values are left out. */
export function withQuery(
  path: string,
  query?: Record<string, string | number | boolean | undefined>,
): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { error?: unknown; code?: unknown; details?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const message = typeof body.error === 'string' ? body.error : `${response.status} ${response.statusText}`;
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  return new ApiError(response.status, code, message, body.details ?? null);
}

/** An {@link Api} over `fetch` with the given credentials. */
export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const cache = new Map<string, { etag: string; body: unknown }>();

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.credentials.kind === 'token') headers['Authorization'] = `Token ${options.credentials.token}`;
    else if (unsafeMethods.has(method)) headers['X-CSRF-Token'] = options.credentials.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const cached = method === 'GET' ? cache.get(path) : undefined;
    if (cached) headers['If-None-Match'] = cached.etag;
    let response: Response;
    try {
      response = await doFetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK_ERROR', `The server could not be reached (${String(error)})`, null);
    }
    if (response.status === 304 && cached) return cached.body as T;
    if (response.status === 401) options.onUnauthorized?.();
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    const json = (await response.json()) as T;
    const etag = response.headers.get('ETag');
    if (method === 'GET' && etag) cache.set(path, { etag, body: json });
    return json;
  }

  return {
    get: (path, query) => request('GET', withQuery(path, query)),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: async (path) => {
      await request('DELETE', path);
    },
  };
}
