import { describe, expect, it } from 'vitest';
import { ApiError, createApi, withQuery } from '../src/app/api.ts';

interface Call {
  url: string;
  init: RequestInit;
}

/** A `fetch` answering from a list of responses in turn, recording each call. */
function fakeFetch(responses: (() => Response)[]) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('no response left');
    return next();
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
const header = (call: Call | undefined, name: string) => new Headers(call?.init.headers).get(name);

describe('the API client', () => {
  it('sends a token as `Authorization: Token ...` and no CSRF header', async () => {
    const { calls, fetch } = fakeFetch([json(200, { ok: 1 }), json(201, { id: 'x' })]);
    const api = createApi({ credentials: { kind: 'token', token: 'ii_abc' }, fetch });
    expect(await api.get('/api/incidents/')).toEqual({ ok: 1 });
    expect(await api.post('/api/incidents/', { title: 't' })).toEqual({ id: 'x' });
    expect(header(calls[0], 'Authorization')).toBe('Token ii_abc');
    expect(header(calls[1], 'X-CSRF-Token')).toBeNull();
    expect(calls[1]?.init.body).toBe('{"title":"t"}');
    expect(header(calls[1], 'Content-Type')).toBe('application/json');
  });

  it('sends the session cookie, and the CSRF token on unsafe methods only', async () => {
    const { calls, fetch } = fakeFetch([
      json(200, {}),
      json(200, {}),
      json(200, {}),
      () => new Response(null, { status: 204 }),
    ]);
    const api = createApi({ credentials: { kind: 'session', csrfToken: 'csrf1' }, fetch });
    await api.get('/api/a/');
    await api.put('/api/a/', {});
    await api.patch('/api/a/', {});
    await api.delete('/api/a/');
    expect(calls.map((c) => c.init.credentials)).toEqual([
      'same-origin',
      'same-origin',
      'same-origin',
      'same-origin',
    ]);
    expect(calls.map((c) => header(c, 'X-CSRF-Token'))).toEqual([null, 'csrf1', 'csrf1', 'csrf1']);
    expect(calls.map((c) => c.init.method)).toEqual(['GET', 'PUT', 'PATCH', 'DELETE']);
    expect(header(calls[0], 'Authorization')).toBeNull();
  });

  it('revalidates with the ETag and reuses the body on 304 (a refresh that finds nothing new)', async () => {
    const body = { last_updated: '2026-01-01T00:00:00Z' };
    const { calls, fetch } = fakeFetch([
      json(200, body, { ETag: 'W/"v1"' }),
      () => new Response(null, { status: 304 }),
    ]);
    const api = createApi({ credentials: { kind: 'token', token: 't' }, fetch });
    const first = await api.get('/api/analytics/dashboard/d/data/');
    const second = await api.get('/api/analytics/dashboard/d/data/');
    expect(header(calls[0], 'If-None-Match')).toBeNull();
    expect(header(calls[1], 'If-None-Match')).toBe('W/"v1"');
    // The same object: a view given it again need not draw anything.
    expect(second).toBe(first);
  });

  it("maps the API's error body to an ApiError, and a 401 to the expired-session callback", async () => {
    let expired = 0;
    const { fetch } = fakeFetch([
      json(400, { error: 'name: required', code: 'VALIDATION_ERROR', details: { field: 'name' } }),
      json(401, { error: 'Authentication required', code: 'UNAUTHENTICATED', details: null }),
      json(403, { error: 'Forbidden', code: 'FORBIDDEN', details: null }),
    ]);
    const api = createApi({
      credentials: { kind: 'token', token: 't' },
      fetch,
      onUnauthorized: () => expired++,
    });
    const invalid = await api.post('/api/x/', {}).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'name: required',
      details: { field: 'name' },
    });
    await expect(api.get('/api/x/')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(expired).toBe(1);
    await expect(api.get('/api/y/')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(expired).toBe(1);
  });

  it('reports an unreachable server as status 0 and a body that is not JSON by its status', async () => {
    const { fetch } = fakeFetch([
      () => {
        throw new TypeError('fetch failed');
      },
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ]);
    const api = createApi({ credentials: { kind: 'token', token: 't' }, fetch });
    await expect(api.get('/api/x/')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    await expect(api.get('/api/x/')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: '502 Bad Gateway',
    });
  });

  it('builds query strings, leaving out undefined and empty values', () => {
    expect(withQuery('/api/a/', { page_size: 100, search: 'db lock', x: undefined, y: '', ok: true })).toBe(
      '/api/a/?page_size=100&search=db+lock&ok=true',
    );
    expect(withQuery('/api/a/?page=2', { page_size: 5 })).toBe('/api/a/?page=2&page_size=5');
    expect(withQuery('/api/a/')).toBe('/api/a/');
  });
});
