import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { completeDocument } from '../src/openapi/complete-document.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document with its method and path. */
function operationsOf(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** The path with each parameter replaced by a UUID no resource has. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

describe('the OpenAPI document: operationIds and error responses', () => {
  let s: TestServer;
  let doc: Document;
  beforeAll(async () => {
    s = await startServer();
    doc = (await (await s.fetch('/api/openapi.json')).json()) as Document;
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
  });

  it('gives every operation a unique operationId in the drf-spectacular style', () => {
    const ids = operationsOf(doc).map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][a-z0-9_]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const idOf = (method: string, path: string) => doc.paths[path]?.[method]?.operationId;
    // Named as drf-spectacular names a ViewSet's actions (list, retrieve, create, update,
    // partial_update, destroy, and `<action>_<method action>` for extra actions).
    expect(idOf('get', '/api/analytics/kpi-metrics/')).toBe('kpi_metrics_list');
    expect(idOf('post', '/api/analytics/kpi-metrics/')).toBe('kpi_metrics_create');
    expect(idOf('get', '/api/analytics/kpi-metrics/{id}/')).toBe('kpi_metrics_retrieve');
    expect(idOf('patch', '/api/analytics/kpi-metrics/{id}/')).toBe('kpi_metrics_partial_update');
    expect(idOf('delete', '/api/analytics/kpi-metrics/{id}/')).toBe('kpi_metrics_destroy');
    expect(idOf('put', '/api/analytics/dashboard-configurations/{id}/')).toBe(
      'dashboard_configurations_update',
    );
    expect(idOf('get', '/api/analytics/kpi-metrics/summary/')).toBe('kpi_metrics_summary_retrieve');
    expect(idOf('get', '/api/analytics/kpi-metrics/{id}/measurements/')).toBe(
      'kpi_metrics_measurements_list',
    );
    expect(idOf('post', '/api/analytics/anomaly-detections/{id}/acknowledge/')).toBe(
      'anomaly_detections_acknowledge_create',
    );
    expect(idOf('post', '/api/analytics/anomaly-detections/{id}/false-positive/')).toBe(
      'anomaly_detections_false_positive_create',
    );
    expect(idOf('get', '/api/incidents/')).toBe('incidents_list');
    expect(idOf('post', '/api/auth/login/')).toBe('auth_login_create');
    expect(idOf('get', '/healthz')).toBe('healthz_retrieve');
  });

  it('documents the spec error body for every 4xx response', () => {
    for (const { method, path, operation } of operationsOf(doc)) {
      const errors = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));
      expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        expect(response.content?.['application/json']?.schema?.$ref, `${method} ${path} ${status}`).toBe(
          '#/components/schemas/Error',
        );
      }
    }
  });

  it('documents a 400 on every operation, and each one refuses an unknown query parameter with it', async () => {
    for (const { method, path, operation } of operationsOf(doc)) {
      expect(operation.responses, `${method} ${path}`).toHaveProperty('400');
      const res = await s.fetch(`${concrete(path)}?no_such_parameter=1`, {
        method: method.toUpperCase(),
        as: 'admin',
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      const body = (await res.json()) as { code: string; details: { parameter?: string } };
      expect(body.code, `${method} ${path}`).toBe('VALIDATION_ERROR');
      expect(body.details.parameter).toBe('no_such_parameter');
    }
  });

  it('documents 401 and 429 exactly where credentials are needed, and those answer 401 without them', async () => {
    for (const { method, path, operation } of operationsOf(doc)) {
      const secured = operation.security === undefined || operation.security.length > 0;
      const where = `${method} ${path}`;
      if (!secured) continue;
      expect(Object.keys(operation.responses), where).toEqual(expect.arrayContaining(['401', '429']));
      const res = await s.fetch(concrete(path), { method: method.toUpperCase() });
      expect(res.status, where).toBe(401);
    }
  });

  it('documents a 403 on every unsafe operation, which a session without its CSRF token gets', async () => {
    const login = await s.fetch('/api/auth/login/', {
      method: 'POST',
      json: { username: 'admin', password: 'password-admin' },
    });
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('insights_session=')) ?? '').split(
      ';',
    )[0];
    let checked = 0;
    for (const { method, path, operation } of operationsOf(doc)) {
      if (method === 'get' || operation.security?.length === 0) continue;
      expect(operation.responses, `${method} ${path}`).toHaveProperty('403');
      // The logout is left for last: it would end the session the other requests use.
      if (path === '/api/auth/logout/') continue;
      const res = await s.fetch(concrete(path), {
        method: method.toUpperCase(),
        headers: { Cookie: cookie ?? '' },
        json: {},
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('documents a 404 on every path with a parameter, and a read of an unknown id answers it', async () => {
    for (const { method, path, operation } of operationsOf(doc)) {
      if (!path.includes('{')) continue;
      expect(operation.responses, `${method} ${path}`).toHaveProperty('404');
      if (method !== 'get' || path.includes('/data/')) continue;
      const res = await s.fetch(concrete(path), { as: 'admin' });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
});

describe('completeDocument', () => {
  const generated = {
    openapi: '3.1.0',
    security: [{ tokenAuth: [] }],
    paths: {
      '/api/analytics/widgets/{id}/spin/': {
        post: {
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { 200: { description: 'Spun' } },
        },
      },
      '/api/analytics/widgets/': {
        get: {
          parameters: [{ name: 'page', in: 'query' }],
          responses: {
            200: {
              description: 'A page',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetPage' } } },
            },
          },
        },
      },
      '/healthz': { get: { security: [], operationId: 'health', responses: { 200: { description: 'Up' } } } },
    },
    components: { schemas: { WidgetPage: { type: 'object', properties: { results: { type: 'array' } } } } },
  };

  it('completes a route that declared nothing, keeps what a route declared, and leaves its input alone', () => {
    const before = JSON.stringify(generated);
    const doc = completeDocument(generated) as unknown as Document;
    expect(JSON.stringify(generated)).toBe(before);
    const spin = doc.paths['/api/analytics/widgets/{id}/spin/']?.['post'];
    expect(spin?.operationId).toBe('widgets_spin_create');
    expect(Object.keys(spin?.responses ?? {})).toEqual(['200', '400', '401', '403', '404', '413', '429']);
    const list = doc.paths['/api/analytics/widgets/']?.['get'];
    expect(list?.operationId).toBe('widgets_list');
    expect(Object.keys(list?.responses ?? {})).toEqual(['200', '400', '401', '404', '429']);
    const health = doc.paths['/healthz']?.['get'];
    expect(health?.operationId).toBe('health');
    expect(Object.keys(health?.responses ?? {})).toEqual(['200', '400']);
  });

  it('refuses two operations with one operationId, naming both', () => {
    const clash = {
      paths: {
        '/api/analytics/a-b/': { get: { responses: {} } },
        '/api/analytics/a_b/': { get: { responses: {} } },
      },
    };
    expect(() => completeDocument(clash)).toThrow(
      'operationId a_b_retrieve of GET /api/analytics/a_b/ is also that of GET /api/analytics/a-b/',
    );
  });
});
