import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { specDashboard } from '../../engine/test/dashboards/dashboard-fixtures.ts';

// The clock is Friday 2024-03-15 12:00 UTC; two incidents and one stored heatmap give the widgets data.
const now = new Date('2024-03-15T12:00:00Z');
let server: TestServer;
let executiveToken: string;

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
      executiveToken = (await engine.auth.createToken({ user: 'exec', name: 'test' })).key;
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

const base = '/api/analytics/dashboard-configurations/';
const asExecutive = () => ({ headers: { Authorization: `Token ${executiveToken}` } });

async function create(body: unknown, as: 'admin' | 'analyst' = 'analyst') {
  const res = await server.fetch(base, { method: 'POST', as, json: body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/api/analytics/dashboard-configurations/', () => {
  it("creates a dashboard from the spec's own request body and reads it back", async () => {
    const { status, body } = await create(specDashboard);
    expect(status).toBe(201);
    expect(body).toMatchObject({ ...specDashboard, is_active: true, created_at: now.toISOString() });
    const detail = await server.fetch(`${base}${body['id']}/`, { as: 'analyst' });
    expect(await detail.json()).toEqual(body);
    const patched = await server.fetch(`${base}${body['id']}/`, {
      method: 'PATCH',
      as: 'analyst',
      json: { name: 'Board' },
    });
    expect(await patched.json()).toMatchObject({ ...specDashboard, name: 'Board' });
  });

  it('refuses an invalid layout with the field named, and a viewer may not create', async () => {
    const overlapping = {
      ...specDashboard,
      widget_configs: [
        ...specDashboard.widget_configs,
        { type: 'heatmap', position: { row: 0, column: 1 }, size: { width: 1, height: 2 } },
      ],
    };
    const { status, body } = await create(overlapping);
    expect(status).toBe(400);
    expect(body['details']).toMatchObject({ field: 'widget_configs[2].position' });
    const outside = await create({ ...specDashboard, layout_config: { rows: 1, columns: 2 } });
    expect([outside.status, outside.body['details']]).toEqual([
      400,
      expect.objectContaining({ field: 'widget_configs[1].position.column' }),
    ]);
    const viewer = await server.fetch(base, { method: 'POST', as: 'viewer', json: specDashboard });
    expect(viewer.status).toBe(403);
  });

  it('hides a dashboard from those who may not see it: 404 and left out of lists', async () => {
    const { body } = await create(specDashboard); // allowed_roles: executive, manager
    const id = String(body['id']);
    const listed = async (init: RequestInit & { as?: 'admin' | 'analyst' | 'viewer' }) => {
      const page = (await (await server.fetch(`${base}?page_size=100`, init)).json()) as {
        results: { id: string }[];
      };
      return page.results.some((d) => d.id === id);
    };
    expect((await server.fetch(`${base}${id}/`, { as: 'viewer' })).status).toBe(404);
    expect((await server.fetch(`/api/analytics/dashboard/${id}/data/`, { as: 'viewer' })).status).toBe(404);
    expect(await listed({ as: 'viewer' })).toBe(false);
    expect((await server.fetch(`${base}${id}/`, asExecutive())).status).toBe(200);
    expect((await server.fetch(`/api/analytics/dashboard/${id}/data/`, asExecutive())).status).toBe(200);
    expect(await listed(asExecutive())).toBe(true);
    expect(await listed({ as: 'admin' })).toBe(true);
    // The executive sees it but may not change it; the creator may.
    const change = await server.fetch(`${base}${id}/`, { method: 'DELETE', ...asExecutive() });
    expect(change.status).toBe(403);
    expect((await server.fetch(`${base}${id}/`, { method: 'DELETE', as: 'analyst' })).status).toBe(204);
  });

  it("answers each widget's key with what its own endpoint returns, and 304 for an unchanged ETag", async () => {
    const widget = (type: string, column: number) => ({
      type,
      position: { row: 0, column },
      size: { width: 1, height: 1 },
    });
    const { body } = await create({
      name: 'All',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 1, columns: 7 },
      is_public: true,
      widget_configs: [
        widget('kpi_summary', 0),
        widget('anomaly_summary', 1),
        widget('recent_anomalies', 2),
        widget('cost_summary', 3),
        widget('insight_summary', 4),
        widget('recent_insights', 5),
        widget('heatmap', 6),
      ],
    });
    const res = await server.fetch(`/api/analytics/dashboard/${body['id']}/data/`, { as: 'viewer' });
    expect(res.status).toBe(200);
    const etag = res.headers.get('ETag');
    expect(etag).toMatch(/^W\/"/);
    const data = (await res.json()) as Record<string, unknown>;
    const own = async (path: string) =>
      (await server.fetch(`/api/analytics/${path}`, { as: 'viewer' })).json();
    expect(data['kpi_summary']).toEqual(await own('kpi-metrics/summary/'));
    expect(data['anomaly_summary']).toEqual(await own('anomaly-detections/summary/'));
    expect(data['recent_anomalies']).toEqual(
      ((await own('anomaly-detections/?page_size=10')) as { results: [] }).results,
    );
    expect(data['cost_summary']).toEqual(await own('cost-analyses/summary/'));
    expect(data['insight_summary']).toEqual(await own('predictive-insights/summary/'));
    expect(data['recent_insights']).toEqual([]);
    expect(data['heatmap_data']).toEqual(
      (
        (await own('heatmap-data/?heatmap_type=INCIDENT_FREQUENCY&time_granularity=HOURLY&page_size=1')) as {
          results: [];
        }
      ).results,
    );
    expect((data['heatmap_data'] as unknown[]).length).toBe(1);
    expect(data['last_updated']).toBe(now.toISOString());

    // The alias answers the same; an ETag sent back gets 304 with no body.
    const alias = await server.fetch(`${base}${body['id']}/data/`, { as: 'viewer' });
    expect(await alias.json()).toEqual(data);
    const again = await server.fetch(`/api/analytics/dashboard/${body['id']}/data/`, {
      as: 'viewer',
      headers: { 'If-None-Match': String(etag) },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('ETag')).toBe(etag);
    const other = await server.fetch(`/api/analytics/dashboard/${body['id']}/data/`, {
      as: 'viewer',
      headers: { 'If-None-Match': 'W/"something-else"' },
    });
    expect(other.status).toBe(200);
  });
});
