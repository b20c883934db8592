import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The subscription routes: who may use them, what they show, what they refuse. No job runner runs
// (nothing is delivered); the allow-list lets URLs name 127.0.0.1 and localhost.
let s: TestServer;
const base = '/api/analytics/webhooks/';

beforeAll(async () => {
  s = await startServer({ jobs: false, engine: { webhooks: { allowHosts: ['127.0.0.1', 'localhost'] } } });
});
afterAll(() => s.close());

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

const create = (body: unknown) => s.fetch(base, { method: 'POST', as: 'admin', json: body });

describe('webhook subscriptions through the API', () => {
  it('are for admins only: other roles get 403, no credentials 401', async () => {
    const created = await json<{ id: string }>(
      await create({ url: 'http://127.0.0.1:9/hook', event_types: ['ANOMALY_DETECTED'] }),
      201,
    );
    const id = created.id;
    const routes: [string, string, unknown?][] = [
      ['GET', base],
      ['POST', base, { url: 'http://127.0.0.1:9/hook', event_types: ['ANOMALY_DETECTED'] }],
      ['GET', `${base}${id}/`],
      ['PUT', `${base}${id}/`, { url: 'http://127.0.0.1:9/hook', event_types: ['ANOMALY_DETECTED'] }],
      ['PATCH', `${base}${id}/`, { description: 'x' }],
      ['DELETE', `${base}${id}/`],
      ['POST', `${base}${id}/rotate-secret/`],
      ['POST', `${base}${id}/test/`],
      ['GET', `${base}${id}/deliveries/`],
      ['POST', `${base}${id}/deliveries/${crypto.randomUUID()}/retry/`],
    ];
    for (const [method, path, body] of routes) {
      for (const role of ['analyst', 'viewer'] as const) {
        const answer = await s.fetch(path, { method, as: role, ...(body ? { json: body } : {}) });
        expect(answer.status, `${role} ${method} ${path}`).toBe(403);
        expect(await answer.json()).toMatchObject({ code: 'FORBIDDEN' });
      }
      const anonymous = await s.fetch(path, { method, ...(body ? { json: body } : {}) });
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401);
    }
    expect((await s.fetch(`${base}${id}/`, { as: 'admin' })).status).toBe(200);
    await json(await s.fetch(`${base}${id}/`, { method: 'DELETE', as: 'admin' }), 204);
    expect((await s.fetch(`${base}${id}/`, { as: 'admin' })).status).toBe(404);
  });

  it('show the secret once, at creation; list, change and replace like the other resources', async () => {
    const created = await json<Record<string, unknown>>(
      await create({
        url: 'http://localhost:9/orders',
        event_types: ['KPI_THRESHOLD_BREACHED', 'COST_THRESHOLD_EXCEEDED'],
        description: 'ops channel',
        filters: { service: ['checkout'] },
      }),
      201,
    );
    expect(created).toMatchObject({
      url: 'http://localhost:9/orders',
      event_types: ['KPI_THRESHOLD_BREACHED', 'COST_THRESHOLD_EXCEEDED'],
      description: 'ops channel',
      is_active: true,
      filters: { service: ['checkout'] },
      disabled_reason: null,
      consecutive_failures: 0,
      previous_secret_expires_at: null,
    });
    expect(created['secret']).toEqual(expect.any(String));
    const id = String(created['id']);
    const shown = await json<Record<string, unknown>>(await s.fetch(`${base}${id}/`, { as: 'admin' }), 200);
    expect(shown).not.toHaveProperty('secret');
    const page = await json<{ count: number; results: Record<string, unknown>[] }>(
      await s.fetch(`${base}?page_size=100&ordering=-created_at`, { as: 'admin' }),
      200,
    );
    expect(page.results.map((w) => w['id'])).toContain(id);
    for (const w of page.results) expect(w).not.toHaveProperty('secret');
    const byType = await json<{ results: { id: string }[] }>(
      await s.fetch(`${base}?event_type=COST_THRESHOLD_EXCEEDED&is_active=true`, { as: 'admin' }),
      200,
    );
    expect(byType.results.map((w) => w.id)).toEqual([id]);
    const patched = await json(
      await s.fetch(`${base}${id}/`, { method: 'PATCH', as: 'admin', json: { is_active: false } }),
      200,
    );
    expect(patched).toMatchObject({ is_active: false, description: 'ops channel' });
    // A replacement sets every field: the description and filters left out are cleared.
    const replaced = await json(
      await s.fetch(`${base}${id}/`, {
        method: 'PUT',
        as: 'admin',
        json: { url: 'http://localhost:9/other', event_types: ['ANOMALY_DETECTED'] },
      }),
      200,
    );
    expect(replaced).toMatchObject({
      url: 'http://localhost:9/other',
      event_types: ['ANOMALY_DETECTED'],
      description: '',
      filters: {},
      is_active: true,
    });
  });

  it('refuse unknown fields, bad event types and bad ids with 400s naming them, changing nothing', async () => {
    const before = (await json<{ count: number }>(await s.fetch(base, { as: 'admin' }), 200)).count;
    const unknown = await json<{ error: string; code: string; details: unknown }>(
      await create({ url: 'http://localhost:9/', event_types: ['ANOMALY_DETECTED'], secret: 'mine' }),
      400,
    );
    expect(unknown.code).toBe('VALIDATION_ERROR');
    expect(unknown.error).toContain('secret');
    const badType = await json<{ error: string }>(
      await create({ url: 'http://localhost:9/', event_types: ['ANOMALY'] }),
      400,
    );
    expect(badType.error).toContain('event_types');
    const badId = await json<{ error: string }>(await s.fetch(`${base}not-a-uuid/`, { as: 'admin' }), 400);
    expect(badId.error).toContain('id');
    const badStatus = await s.fetch(`${base}${crypto.randomUUID()}/deliveries/?status=LOST`, { as: 'admin' });
    expect(badStatus.status).toBe(400);
    expect((await json<{ count: number }>(await s.fetch(base, { as: 'admin' }), 200)).count).toBe(before);
  });

  it('are in the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await s.fetch('/api/openapi.json'),
      200,
    );
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/analytics/webhooks/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(operations).toEqual([
      'DELETE /api/analytics/webhooks/{id}/',
      'GET /api/analytics/webhooks/',
      'GET /api/analytics/webhooks/{id}/',
      'GET /api/analytics/webhooks/{id}/deliveries/',
      'PATCH /api/analytics/webhooks/{id}/',
      'POST /api/analytics/webhooks/',
      'POST /api/analytics/webhooks/{id}/deliveries/{delivery_id}/retry/',
      'POST /api/analytics/webhooks/{id}/rotate-secret/',
      'POST /api/analytics/webhooks/{id}/test/',
      'PUT /api/analytics/webhooks/{id}/',
    ]);
  });

  it('refuse a loopback URL with a 400 naming url when the allow-list does not name its host', async () => {
    const strict = await startServer({ jobs: false });
    try {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook']) {
        const answer = await strict.fetch(base, {
          method: 'POST',
          as: 'admin',
          json: { url, event_types: ['ANOMALY_DETECTED'] },
        });
        const body = await json<{ error: string; code: string; details: { field: string } }>(answer, 400);
        expect(body.code).toBe('VALIDATION_ERROR');
        expect(body.error).toMatch(/^url .*loopback/);
        expect(body.details.field).toBe('url');
      }
      expect((await json<{ count: number }>(await strict.fetch(base, { as: 'admin' }), 200)).count).toBe(0);
    } finally {
      await strict.close();
    }
  });
});
