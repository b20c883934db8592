import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The clock is Friday 2024-03-15 12:00 UTC. Three incidents, worked by hand (UTC):
// A Monday 2024-03-04 09:15 api, B Monday 2024-03-11 09:40 api, C Tuesday 2024-03-12 14:00 db.
// The HOURLY heatmap's default period is the 28 days to the end of 15 March: all three are in it,
// so Monday 09:00 holds 2 and Tuesday 14:00 holds 1.
const now = new Date('2024-03-15T12:00:00Z');

let server: TestServer;

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
            severity: 'HIGH',
            service: 'api',
            created_at: '2024-03-11T09:40:00Z',
          },
          {
            external_id: 'C',
            title: 'c',
            severity: 'LOW',
            service: 'db',
            created_at: '2024-03-12T14:00:00Z',
          },
        ],
      });
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

const base = '/api/analytics/heatmap-data/';

interface Heatmap {
  id: string;
  heatmap_type: string;
  time_granularity: string;
  period_start: string;
  period_end: string;
  rows: string[];
  labels: { rows: string[]; columns: string[] };
  values: (number | null)[][];
  computed_at: string;
}
interface JobBody {
  id: string;
  status: string;
  result: { heatmaps: { id: string; replaced: boolean }[] } | null;
}

/** Posts a refresh as an analyst and waits for its job to end. */
async function refresh(body: Record<string, unknown>): Promise<JobBody> {
  const res = await server.fetch(`${base}refresh/`, { method: 'POST', as: 'analyst', json: body });
  expect(res.status, await res.clone().text()).toBe(202);
  const job = (await res.json()) as JobBody;
  expect(res.headers.get('Location')).toBe(`/api/jobs/${job.id}/`);
  const final = await server.engine.jobs.wait(job.id);
  expect([final.status, final.error]).toEqual(['SUCCEEDED', null]);
  return (await (await server.fetch(`/api/jobs/${job.id}/`, { as: 'viewer' })).json()) as JobBody;
}

describe('/api/analytics/heatmap-data/', () => {
  it('refreshes as a job (202) and lists the stored heatmap with its cells', async () => {
    const job = await refresh({ heatmap_type: 'INCIDENT_FREQUENCY', time_granularity: 'HOURLY' });
    expect(job.result?.heatmaps).toHaveLength(1);
    const res = await server.fetch(base, { as: 'viewer' });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { count: number; results: Heatmap[] };
    expect(page.count).toBe(1);
    const heatmap = page.results[0] as Heatmap;
    expect(heatmap).toMatchObject({
      heatmap_type: 'INCIDENT_FREQUENCY',
      time_granularity: 'HOURLY',
      period_start: '2024-02-17T00:00:00.000Z',
      period_end: '2024-03-16T00:00:00.000Z',
      computed_at: now.toISOString(),
    });
    expect(heatmap.labels.rows[0]).toBe('Monday');
    expect(heatmap.labels.columns[9]).toBe('09:00');
    expect(heatmap.values[0]?.[9]).toBe(2);
    expect(heatmap.values[1]?.[14]).toBe(1);
    expect(heatmap.values.flat().reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(3);

    // The detail is what the library answers, and a repeated refresh replaces it.
    const detail = await server.fetch(`${base}${heatmap.id}/`, { as: 'viewer' });
    expect(detail.status).toBe(200);
    expect(await detail.json()).toEqual(
      JSON.parse(JSON.stringify(await server.engine.heatmaps.get(heatmap.id))),
    );
    const again = await refresh({ heatmap_type: 'INCIDENT_FREQUENCY', time_granularity: 'HOURLY' });
    expect(again.result?.heatmaps[0]).toMatchObject({ id: heatmap.id, replaced: true });
  });

  it('filters by heatmap_type and time_granularity and pages', async () => {
    await refresh({});
    const all = (await (await server.fetch(`${base}?page_size=5`, { as: 'viewer' })).json()) as {
      count: number;
      next: string | null;
      results: Heatmap[];
    };
    expect(all.count).toBe(16);
    expect(all.results).toHaveLength(5);
    expect(all.next).toContain('page=2');
    const daily = (await (
      await server.fetch(`${base}?heatmap_type=INCIDENT_FREQUENCY&time_granularity=DAILY`, { as: 'viewer' })
    ).json()) as { count: number; results: Heatmap[] };
    expect(daily.count).toBe(1);
    expect(daily.results[0]?.labels.rows).toEqual(['api', 'db']);
    const costs = (await (
      await server.fetch(`${base}?heatmap_type=COST_IMPACT`, { as: 'viewer' })
    ).json()) as {
      count: number;
    };
    expect(costs.count).toBe(4);
  });

  it('refuses bad filters and bodies with 400 naming the field, viewers with 403, and unknown ids with 404', async () => {
    for (const [query, parameter] of [
      ['?heatmap_type=HEAT', 'heatmap_type'],
      ['?time_granularity=YEARLY', 'time_granularity'],
    ] as const) {
      const res = await server.fetch(`${base}${query}`, { as: 'viewer' });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(parameter);
    }
    const before = ((await (await server.fetch(base, { as: 'viewer' })).json()) as { count: number }).count;
    for (const [body, field] of [
      [{ time_granularity: 'YEARLY' }, 'time_granularity'],
      [{ period_start: 'yesterday', period_end: '2024-03-01T00:00:00Z' }, 'period_start'],
      [{ filters: { team: 'x' } }, 'filters'],
      [{ filters: { severity: 'URGENT' } }, 'filters.severity'],
      [
        { period_start: '2024-03-01T00:00:00Z', period_end: '2024-02-01T00:00:00Z' },
        'period_end must be after period_start',
      ],
      [{ period_start: '2024-03-01T00:00:00Z' }, 'give both period_start and period_end'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const res = await server.fetch(`${base}refresh/`, { method: 'POST', as: 'analyst', json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(field);
    }
    const viewer = await server.fetch(`${base}refresh/`, { method: 'POST', as: 'viewer', json: {} });
    expect(viewer.status).toBe(403);
    expect(((await (await server.fetch(base, { as: 'viewer' })).json()) as { count: number }).count).toBe(
      before,
    );
    const missing = await server.fetch(`${base}00000000-0000-4000-8000-000000000999/`, { as: 'viewer' });
    expect(missing.status).toBe(404);
  });
});
