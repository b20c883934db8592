import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  // The clock is at 2024-01-02T00:00Z: summaries cover 2024-01-01 (see test/support/kpi-fixtures.ts).
  server = await startServer({
    engine: { now: () => new Date('2024-01-02T00:00:00Z') },
    populate: loadHandIncidents,
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

interface Metric {
  id: string;
  name: string;
  metric_type: string;
  is_system_metric: boolean;
  created_by_username: string | null;
  target_value: string | null;
  measurement_count: number;
  latest_measurement: {
    value: string | null;
    unit: string;
    calculated_at: string;
    incident_count: number;
  } | null;
}

async function json<T>(response: Response, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return (body ? JSON.parse(body) : null) as T;
}

describe('/api/analytics/kpi-metrics/', () => {
  it('lists the system metrics in the spec shape, with the spec filters', async () => {
    const page = await json<{ count: number; next: null; previous: null; results: Metric[] }>(
      await server.fetch('/api/analytics/kpi-metrics/?is_system_metric=true', { as: 'viewer' }),
      200,
    );
    expect(page.count).toBe(8);
    expect(Object.keys(page.results[0]!).sort()).toEqual(
      [
        'id',
        'name',
        'description',
        'metric_type',
        'aggregation_type',
        'incident_categories',
        'incident_severities',
        'incident_priorities',
        'services',
        'teams',
        'calculation_formula',
        'time_window_hours',
        'target_value',
        'is_active',
        'is_system_metric',
        'created_by_username',
        'created_at',
        'updated_at',
        'measurement_count',
        'latest_measurement',
      ].sort(),
    );
    const mtta = await json<{ results: Metric[] }>(
      await server.fetch('/api/analytics/kpi-metrics/?metric_type=MTTA&is_active=true', { as: 'viewer' }),
      200,
    );
    expect(mtta.results.map((m) => m.name)).toEqual(['Mean Time to Acknowledge']);
    const none = await json<{ count: number }>(
      await server.fetch('/api/analytics/kpi-metrics/?created_after=2030-01-01', { as: 'viewer' }),
      200,
    );
    expect(none.count).toBe(0);
    const bad = await json<{ code: string }>(
      await server.fetch('/api/analytics/kpi-metrics/?metric_type=SPEED', { as: 'viewer' }),
      400,
    );
    expect(bad.code).toBe('VALIDATION_ERROR');
  });

  it('creates, reads, changes and deletes a metric; decimals are strings', async () => {
    const created = await json<Metric>(
      await server.fetch('/api/analytics/kpi-metrics/', {
        method: 'POST',
        as: 'analyst',
        json: {
          name: 'Custom MTTR',
          description: 'Custom Mean Time to Resolve metric',
          metric_type: 'MTTR',
          aggregation_type: 'AVERAGE',
          incident_categories: ['Infrastructure'],
          incident_severities: ['HIGH', 'CRITICAL'],
          time_window_hours: 48,
          is_active: true,
          target_value: 15.5,
        },
      }),
      201,
    );
    expect(created).toMatchObject({
      created_by_username: 'analyst',
      target_value: '15.5',
      is_system_metric: false,
    });
    const patched = await json<Metric>(
      await server.fetch(`/api/analytics/kpi-metrics/${created.id}/`, {
        method: 'PATCH',
        as: 'analyst',
        json: { name: 'Renamed' },
      }),
      200,
    );
    expect(patched).toMatchObject({ name: 'Renamed', target_value: '15.5' });
    await json(
      await server.fetch(`/api/analytics/kpi-metrics/${created.id}/`, { method: 'DELETE', as: 'analyst' }),
      204,
    );
    await json(await server.fetch(`/api/analytics/kpi-metrics/${created.id}/`, { as: 'viewer' }), 404);
  });

  it('answers 400 naming the position of a bad formula, and 403 to viewers and for system metrics', async () => {
    const bad = await json<{ code: string; details: { position: number; problem: string } }>(
      await server.fetch('/api/analytics/kpi-metrics/', {
        method: 'POST',
        as: 'analyst',
        json: { name: 'x', metric_type: 'CUSTOM', calculation_formula: "MTTR / 0'; DROP TABLE incidents" },
      }),
      400,
    );
    expect(bad).toMatchObject({ code: 'VALIDATION_ERROR', details: { position: 8 } });
    await json(
      await server.fetch('/api/analytics/kpi-metrics/', {
        method: 'POST',
        as: 'viewer',
        json: { name: 'x', metric_type: 'MTTA' },
      }),
      403,
    );
    const [system] = (
      await json<{ results: Metric[] }>(
        await server.fetch('/api/analytics/kpi-metrics/?is_system_metric=true&metric_type=MTTR', {
          as: 'viewer',
        }),
        200,
      )
    ).results;
    const patch = await json<{ code: string }>(
      await server.fetch(`/api/analytics/kpi-metrics/${system!.id}/`, {
        method: 'PATCH',
        as: 'admin',
        json: { time_window_hours: 1 },
      }),
      403,
    );
    expect(patch.code).toBe('FORBIDDEN');
    await json(
      await server.fetch(`/api/analytics/kpi-metrics/${system!.id}/`, { method: 'DELETE', as: 'admin' }),
      403,
    );
  });

  it('serves measurements per metric and across metrics, filtered by period', async () => {
    const results = await server.engine.kpis.calculateAll({ end: new Date('2024-01-02T00:00:00Z') });
    await server.engine.kpis.calculateAll({ end: new Date('2024-01-01T00:00:00Z') });
    const mtta = results.find((r) => r.measurement.metric_type === 'MTTA')!.measurement;
    const own = await json<{ count: number; results: { value: string; period_start: string }[] }>(
      await server.fetch(`/api/analytics/kpi-metrics/${mtta.metric_id}/measurements/?start_date=2024-01-01`, {
        as: 'viewer',
      }),
      200,
    );
    expect(own.results.map((r) => [r.period_start, r.value])).toEqual([['2024-01-01T00:00:00.000Z', '25']]);
    const all = await json<{ count: number }>(
      await server.fetch('/api/analytics/kpi-measurements/', { as: 'viewer' }),
      200,
    );
    expect(all.count).toBe(16);
    const one = await json<{ count: number; results: { value: string }[] }>(
      await server.fetch(`/api/analytics/kpi-measurements/?metric_id=${mtta.metric_id}&end_date=2024-01-01`, {
        as: 'viewer',
      }),
      200,
    );
    expect(one.results.map((r) => r.value)).toEqual(['5']); // the 2023-12-31 window: F only
    const metric = await json<Metric>(
      await server.fetch(`/api/analytics/kpi-metrics/${mtta.metric_id}/`, { as: 'viewer' }),
      200,
    );
    expect(metric.measurement_count).toBe(2);
    // Both calculated at the same (fixed) time: the later period is the latest.
    expect(metric.latest_measurement).toMatchObject({ value: '25', unit: 'minutes', incident_count: 5 });
  });

  it('summarises every active metric with trend and target', async () => {
    const summary = await json<Record<string, unknown>[]>(
      await server.fetch('/api/analytics/kpi-metrics/summary/', { as: 'viewer' }),
      200,
    );
    expect(summary.find((s) => s['metric_type'] === 'MTTA')).toEqual({
      metric_type: 'MTTA',
      metric_name: 'Mean Time to Acknowledge',
      current_value: '25',
      unit: 'minutes',
      trend: 'up',
      trend_percentage: '400',
      period_start: '2024-01-01T00:00:00.000Z',
      period_end: '2024-01-02T00:00:00.000Z',
      period_end_basis: 'last_complete_hour',
      incident_count: 5,
      target_value: null,
      target_met: true,
    });
  });
});

describe('/api/analytics/maintenance-windows/', () => {
  it('records, lists and deletes windows; viewers may only read', async () => {
    const body = { service: 'db', start_at: '2024-01-01T04:00:00Z', end_at: '2024-01-01T06:00:00Z' };
    await json(
      await server.fetch('/api/analytics/maintenance-windows/', { method: 'POST', as: 'viewer', json: body }),
      403,
    );
    const created = await json<{ id: string; service: string }>(
      await server.fetch('/api/analytics/maintenance-windows/', {
        method: 'POST',
        as: 'analyst',
        json: body,
      }),
      201,
    );
    expect(created.service).toBe('db');
    await json(
      await server.fetch('/api/analytics/maintenance-windows/', {
        method: 'POST',
        as: 'analyst',
        json: { ...body, end_at: '2024-01-01T03:00:00Z' },
      }),
      400,
    );
    const list = await json<{ count: number }>(
      await server.fetch('/api/analytics/maintenance-windows/?service=db', { as: 'viewer' }),
      200,
    );
    expect(list.count).toBe(1);
    await json(
      await server.fetch(`/api/analytics/maintenance-windows/${created.id}/`, {
        method: 'DELETE',
        as: 'analyst',
      }),
      204,
    );
  });
});

describe('/api/analytics/kpi-metrics/summary/ in the middle of an hour', () => {
  let midHour: TestServer;
  beforeAll(async () => {
    // 40 minutes into 2024-01-02 00:00: the hour still filling is left out, so the window is
    // 2024-01-01 as at 00:00 (fixtures.ts), and ends in the past.
    midHour = await startServer({
      engine: { now: () => new Date('2024-01-02T00:40:00Z') },
      populate: async (engine) => {
        await loadHandIncidents(engine);
        await engine.kpis.create({
          name: 'nothing to measure',
          metric_type: 'CUSTOM',
          calculation_formula: 'count(*) / (count(*) - count(*))',
          target_value: 1,
        });
      },
    });
  });
  afterAll(async () => {
    await midHour.close();
    await midHour.engine.close();
  });

  it('ends at the last complete hour, says so, and reports no trend or verdict without a value', async () => {
    const summary = await json<Record<string, unknown>[]>(
      await midHour.fetch('/api/analytics/kpi-metrics/summary/', { as: 'viewer' }),
      200,
    );
    for (const line of summary) {
      expect(line).toMatchObject({
        period_start: '2024-01-01T00:00:00.000Z',
        period_end: '2024-01-02T00:00:00.000Z',
        period_end_basis: 'last_complete_hour',
      });
    }
    expect(summary.find((s) => s['metric_type'] === 'MTTA')).toMatchObject({
      current_value: '25',
      trend: 'up',
    });
    // count(*) − count(*) is 0: 5 / 0 is no value, so neither a trend nor a verdict on the target.
    expect(summary.find((s) => s['metric_name'] === 'nothing to measure')).toMatchObject({
      current_value: null,
      trend: null,
      trend_percentage: null,
      target_value: '1',
      target_met: null,
    });
  });
});
