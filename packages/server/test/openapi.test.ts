import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

describe('API documentation and operation endpoints', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('serves an OpenAPI 3.1 document without authentication, listing the routes with their schemas', async () => {
    const res = await s.fetch('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/incidents/',
        '/api/incidents/{id}/',
        '/api/incidents/bulk/',
        '/api/auth/login/',
      ]),
    );
    const listParams = doc.paths['/api/incidents/']?.['get']?.parameters?.map((p) => p.name);
    expect(listParams).toEqual(
      expect.arrayContaining(['page', 'page_size', 'ordering', 'search', 'severity']),
    );
    expect(doc.components.schemas).toHaveProperty('Incident');
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'bearerAuth',
      'sessionAuth',
      'tokenAuth',
    ]);
  });

  it('exposes Prometheus metrics by route and status to authenticated callers', async () => {
    expect((await s.fetch('/metrics')).status).toBe(401);
    await s.fetch('/api/incidents/?page_size=5', { as: 'viewer' });
    const res = await s.fetch('/metrics', { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toContain('http_requests_total{method="GET",route="/api/incidents/",status="200"} 1');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/incidents\/"\} 1/,
    );
    expect(text).toContain('insights_worker_pool_queue_size');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const cors = await startServer({ app: { corsOrigins: ['https://app.example'] } });
    try {
      const ok = await cors.fetch('/api/incidents/', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await cors.fetch('/api/incidents/', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});
