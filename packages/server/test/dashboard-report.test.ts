import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The clock is Friday 2024-03-15 12:00 UTC; two incidents, their KPIs and one stored heatmap give
// the widgets data. The dashboard is restricted to the `executive` role.
const now = new Date('2024-03-15T12:00:00Z');
let server: TestServer;
let dashboardId: string;
const report = (id: string) => `/api/analytics/dashboard/${id}/report/`;

const widgets = [
  { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } },
  {
    type: 'kpi_trend',
    position: { row: 1, column: 0 },
    size: { width: 2, height: 1 },
    options: { metrics: ['MTTR'] },
  },
  { type: 'heatmap', position: { row: 2, column: 0 }, size: { width: 2, height: 1 } },
  { type: 'recent_anomalies', position: { row: 3, column: 0 }, size: { width: 1, height: 1 } },
  { type: 'forecast', position: { row: 3, column: 1 }, size: { width: 1, height: 1 } },
];

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    jobs: { schedules: false, pollMs: 20 },
    populate: async (engine) => {
      await engine.incidents.ingest({
        records: [
          {
            external_id: 'A',
            title: 'a',
            severity: 'HIGH',
            service: 'api',
            created_at: '2024-03-04T09:15:00Z',
          },
          {
            external_id: 'B',
            title: 'b',
            severity: 'LOW',
            service: 'db',
            created_at: '2024-03-12T14:00:00Z',
          },
        ],
      });
      await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
      await engine.auth.createUser({
        username: 'exec',
        password: 'password-exec',
        role: 'viewer',
        roles: ['executive'],
      });
    },
  });
  const created = await server.fetch('/api/analytics/dashboard-configurations/', {
    method: 'POST',
    as: 'admin',
    json: {
      name: 'Board <script>alert(1)</script>',
      dashboard_type: 'EXECUTIVE',
      layout_config: { rows: 4, columns: 2 },
      widget_configs: widgets,
      is_public: false,
      allowed_roles: ['executive'],
    },
  });
  expect(created.status).toBe(201);
  dashboardId = ((await created.json()) as { id: string }).id;
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

describe('GET /api/analytics/dashboard/{id}/report/', () => {
  it('answers the admin with a self-contained HTML report, the same bytes each time', async () => {
    const res = await server.fetch(report(dashboardId), { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<h1>Board &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('Generated 15 Mar 2024 12:00 UTC');
    expect(html.toLowerCase()).not.toContain('<script');
    // kpi_trend, heatmap, recent_anomalies and forecast are charts; kpi_summary is a table
    expect(html.match(/<svg[\s>]/g)).toHaveLength(4);
    expect(html).toContain('Monday');
    const again = await server.fetch(report(dashboardId), { as: 'admin' });
    expect(await again.text()).toBe(html);
  });

  it('adds Content-Disposition: attachment only with ?download=true', async () => {
    const res = await server.fetch(`${report(dashboardId)}?download=true`, { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="board-script-alert-1-script-2024-03-15.html"',
    );
    const off = await server.fetch(`${report(dashboardId)}?download=false`, { as: 'admin' });
    expect(off.headers.get('content-disposition')).toBeNull();
    expect((await server.fetch(`${report(dashboardId)}?download=maybe`, { as: 'admin' })).status).toBe(400);
  });

  it('is visible as the dashboard data is: 404 for a viewer without the role, 200 with it', async () => {
    const viewer = await server.fetch(report(dashboardId), { as: 'viewer' });
    expect(viewer.status).toBe(404);
    expect(((await viewer.json()) as { code: string }).code).toBe('NOT_FOUND');
    const login = await server.fetch('/api/auth/login/', {
      method: 'POST',
      json: { username: 'exec', password: 'password-exec' },
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const executive = await fetch(`${server.url}${report(dashboardId)}`, { headers: { Cookie: cookie } });
    expect(executive.status).toBe(200);
    expect((await server.fetch(report('00000000-0000-4000-8000-000000000000'), { as: 'admin' })).status).toBe(
      404,
    );
  });

  it('needs authentication (401 without it)', async () => {
    expect((await fetch(`${server.url}${report(dashboardId)}`)).status).toBe(401);
  });

  it('is in the OpenAPI document as text/html', async () => {
    const doc = (await (await server.fetch('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const operation = doc.paths['/api/analytics/dashboard/{id}/report/']?.get;
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual(['text/html']);
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404']));
  });
});
