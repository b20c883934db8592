import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

describe('the HTTP frame', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('answers /healthz and /readyz without credentials', async () => {
    expect((await s.fetch('/healthz')).status).toBe(200);
    const ready = await s.fetch('/readyz');
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves API paths with and without the trailing slash', async () => {
    const withSlash = await s.fetch('/api/auth/me/', { as: 'viewer' });
    const without = await s.fetch('/api/auth/me', { as: 'viewer' });
    expect(withSlash.status).toBe(200);
    expect(without.status).toBe(200);
    expect(await without.json()).toMatchObject({ username: 'viewer', role: 'viewer', method: 'token' });
  });

  it('echoes a request id, or makes one', async () => {
    const given = await s.fetch('/api/auth/me/', { as: 'viewer', headers: { 'X-Request-Id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await s.fetch('/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the API root', () => {
  it('lists the resources under /api/analytics/ with absolute URLs', async () => {
    const s = await startServer();
    try {
      const res = await s.fetch('/api/analytics/', { as: 'viewer' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, string>;
      expect(Object.keys(body).length).toBeGreaterThan(0);
      for (const [name, url] of Object.entries(body)) expect(url).toBe(`${s.url}/api/analytics/${name}/`);
      expect((await s.fetch('/api/analytics')).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
