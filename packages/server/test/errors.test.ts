import { EngineError, type ErrorCode, openEngine } from '@incident-insights/engine';
import { createApp } from '@incident-insights/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

type Body = { error: string; details: unknown; code: string };

describe('error responses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ app: { bodyLimitBytes: 1024 } });
  });
  afterAll(() => s.close());

  const expectError = async (res: Response, status: number, code: string): Promise<Body> => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Body;
    expect(Object.keys(body).sort()).toEqual(['code', 'details', 'error']);
    expect(body.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack frames
    return body;
  };

  it('400 for malformed JSON', async () => {
    const res = await s.fetch('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      body: '{"title": ',
      headers: { 'Content-Type': 'application/json' },
    });
    await expectError(res, 400, 'PARSE_ERROR');
  });

  it('400 naming the fields of an invalid body', async () => {
    const res = await s.fetch('/api/incidents/', { method: 'POST', as: 'analyst', json: { title: 5 } });
    const body = await expectError(res, 400, 'VALIDATION_ERROR');
    const fields = (body.details as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'severity', 'created_at']));
  });

  it('413 for a body over the limit', async () => {
    const res = await s.fetch('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      body: JSON.stringify({ title: 'x'.repeat(5000), severity: 'LOW', created_at: '2024-01-01' }),
      headers: { 'Content-Type': 'application/json' },
    });
    await expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await s.engine.incidents.count()).toBe(0);
  });

  it('404 for an unknown route and an unknown id, 405 for a wrong method', async () => {
    await expectError(await s.fetch('/api/no-such-thing/', { as: 'viewer' }), 404, 'NOT_FOUND');
    await expectError(
      await s.fetch('/api/incidents/00000000-0000-4000-8000-000000000000/', { as: 'viewer' }),
      404,
      'NOT_FOUND',
    );
    const res = await s.fetch('/api/incidents/', { method: 'PUT', as: 'admin', json: {} });
    await expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('405, not a 400 about an id, for a wrong method on an action path that looks like an id', async () => {
    // GET /kpi-metrics/calculate/ would otherwise match /kpi-metrics/{id}/ and fail the id's check.
    const res = await s.fetch('/api/analytics/kpi-metrics/calculate/', { as: 'admin' });
    await expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('POST');
    // Authentication still comes first, as in Django REST Framework.
    expect((await s.fetch('/api/analytics/kpi-metrics/calculate/')).status).toBe(401);
    // The summary, a GET action beside the {id} route, is unaffected.
    expect((await s.fetch('/api/analytics/kpi-metrics/summary/', { as: 'viewer' })).status).toBe(200);
  });

  it('415 for a JSON route called with another content type', async () => {
    const res = await s.fetch('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      body: 'title=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('500s', () => {
  it('hide the error from the client and log it with the request id the response carries', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = createApp(engine, { logger, rateLimit: false });
    app.get('/healthz/boom', () => {
      throw new Error('secret database password is hunter2');
    });
    await engine.auth.createUser({ username: 'a', role: 'admin' });
    const { key } = await engine.auth.createToken({ user: 'a' });
    const res = await app.request('/healthz/boom', { headers: { Authorization: `Token ${key}` } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    const body = JSON.parse(text) as Body;
    const requestId = res.headers.get('x-request-id');
    expect(body).toEqual({
      error: 'Internal server error',
      details: { request_id: requestId },
      code: 'INTERNAL',
    });
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'request failed');
    expect(logged?.['requestId']).toBe(requestId);
    expect(JSON.stringify(logged)).toContain('hunter2');
    // One structured request line per request, carrying the same id.
    const requestLine = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'request' && l['status'] === 500);
    expect(requestLine).toMatchObject({ requestId, method: 'GET', path: '/healthz/boom', user: 'a' });
    await engine.close();
  });
});

describe('engine error codes', () => {
  it('map to HTTP statuses with the code in the body', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const app = createApp(engine, { logger: false, rateLimit: false });
    const expected: [ErrorCode, number][] = [
      ['VALIDATION_ERROR', 400],
      ['UNAUTHENTICATED', 401],
      ['FORBIDDEN', 403],
      ['NOT_FOUND', 404],
      ['CONFLICT', 409],
      ['INSUFFICIENT_DATA', 422],
      ['UNSUPPORTED', 422],
      ['RATE_LIMITED', 429],
      ['CANCELLED', 503],
      ['WORKER_FAILED', 500],
    ];
    let code: ErrorCode = 'INTERNAL';
    app.get('/healthz/throw', () => {
      throw new EngineError(code, `failed with ${code}`, { hint: 'details travel' });
    });
    await engine.auth.createUser({ username: 'a', role: 'admin' });
    const { key } = await engine.auth.createToken({ user: 'a' });
    for (const [name, status] of expected) {
      code = name;
      const res = await app.request('/healthz/throw', { headers: { Authorization: `Token ${key}` } });
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as Body;
      expect(body.code).toBe(name);
      if (status < 500)
        expect(body).toEqual({
          error: `failed with ${name}`,
          details: { hint: 'details travel' },
          code: name,
        });
      else expect(body.error).not.toContain(name); // 5xx messages stay in the log
    }
    await engine.close();
  });
});
