import { EngineError, type ErrorCode } from '@incident-insights/engine';
import type { RuntimeFile } from '@incident-insights/server/runtime-file';
import { exitCodes } from '../exit-codes.ts';

/** A query string's values; `undefined` ones are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** One request to the server: a JSON body, or any other body (a multipart form), and a query. */
export interface ServerRequest {
  readonly json?: unknown;
  readonly body?: FormData | string;
  readonly contentType?: string;
  readonly query?: Query;
}

/** A page of a DRF-style list: `{count, next, previous, results}`. */
interface PageJson<T> {
  readonly count: number;
  readonly next: string | null;
  readonly results: readonly T[];
}

/** HTTP statuses and the engine error code each means, for error bodies without a known code. */
const codeOfStatus: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'VALIDATION_ERROR',
  415: 'UNSUPPORTED',
  422: 'UNSUPPORTED',
  429: 'RATE_LIMITED',
  503: 'CANCELLED',
};

/**
 * The running server that holds a database, as a command reaches it: its address and the local
 * credential from the runtime file `insights serve` left beside the database. Every request acts as
 * the system actor (`Authorization: Token <credential>`), as a command on the file itself would.
 * An error answer becomes the {@link EngineError} the engine would have thrown (same code, message
 * and details), so a command fails the same way through the server as alone.
 */
export class ServerClient {
  readonly url: string;
  readonly pid: number;
  readonly #credential: string;

  constructor(runtime: RuntimeFile) {
    this.url = runtime.url.replace(/\/+$/, '');
    this.pid = runtime.pid;
    this.#credential = runtime.credential;
  }

  /** Sends one request and returns its JSON answer (`undefined` for 204). @throws EngineError */
  async request<T>(method: string, path: string, request: ServerRequest = {}): Promise<T> {
    const response = await this.#send(method, path, request);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw errorOf(response, body, text);
    return body as T;
  }

  /** Sends one GET request and returns its body as text (an HTML page, a CSV file). @throws EngineError */
  async text(path: string, query: Query = {}): Promise<string> {
    const response = await this.#send('GET', path, { query });
    const text = await response.text();
    if (!response.ok) throw errorOf(response, parseJson(text), text);
    return text;
  }

  /** Every item of a paginated list, page after page (100 a page). @throws EngineError */
  async listAll<T>(path: string, query: Query = {}): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const result = await this.request<PageJson<T>>('GET', path, {
        query: { ...query, page, page_size: 100 },
      });
      all.push(...result.results);
      if (!result.next || result.results.length === 0) return all;
    }
  }

  async #send(method: string, path: string, request: ServerRequest): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Token ${this.#credential}` };
    let body: FormData | string | undefined = request.body;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.contentType) {
      headers['Content-Type'] = request.contentType;
    }
    try {
      return await fetch(`${this.url}${path}${queryString(request.query)}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new EngineError(
        'INTERNAL',
        `the server holding the database (${this.url}, PID ${this.pid}) did not answer: ${cause?.code ?? cause?.message ?? String(error)}`,
      );
    }
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The engine error an error answer stands for: the body's code when it is an engine code, else by status. */
function errorOf(response: Response, body: unknown, text: string): EngineError {
  const error = body as { error?: unknown; code?: unknown; details?: unknown } | undefined;
  const message =
    typeof error?.error === 'string'
      ? error.error
      : `the server answered ${response.status} ${text.slice(0, 200)}`;
  const code =
    typeof error?.code === 'string' && error.code in exitCodes
      ? (error.code as ErrorCode)
      : (codeOfStatus[response.status] ?? 'INTERNAL');
  return new EngineError(code, message, error?.details ?? undefined);
}
