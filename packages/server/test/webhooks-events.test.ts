import { internalContext } from '@incident-insights/engine/internal';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../test/support/anomaly-fixtures.ts';
import { end as kpiEnd, loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { type ExampleReceiver, startExampleReceiver } from '../../../test/support/webhook-receiver.ts';

// A server on the real clock (receivers check the signed timestamp against their own clock) whose
// allow-list lets webhooks reach 127.0.0.1; its webhook drain delivers by itself. The four events
// come from the engine's own work on pinned data: a KPI over the hand-worked day, a cost over a
// hand-priced incident, a small model trained on seeded synthetic incidents, and an anomaly run
// over the seeded storm fixture.
let s: TestServer;
const receivers: ExampleReceiver[] = [];
const base = '/api/analytics/webhooks/';
const eventTypes = [
  'ANOMALY_DETECTED',
  'KPI_THRESHOLD_BREACHED',
  'MODEL_TRAINING_COMPLETED',
  'COST_THRESHOLD_EXCEEDED',
] as const;

beforeAll(async () => {
  s = await startServer({ engine: { webhooks: { allowHosts: ['127.0.0.1'] } } });
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await s.close();
});

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

const create = (body: unknown) => s.fetch(base, { method: 'POST', as: 'admin', json: body });

/** Waits until `probe` returns true, for at most `seconds`. */
async function until(what: string, seconds: number, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the four events, delivered for real', () => {
  it('each arrives signed and verifies in examples/webhook-receiver.mjs, run as the receiver', async () => {
    // Created first (a subscription receives the events recorded after it), pointed at the example
    // once the example knows the secret.
    const created = await json<{ id: string; secret: string }>(
      await create({ url: 'http://127.0.0.1:9/not-yet', event_types: [...eventTypes] }),
      201,
    );
    const example = await startExampleReceiver('node', created.secret);
    receivers.push(example);
    await json(
      await s.fetch(`${base}${created.id}/`, { method: 'PATCH', as: 'admin', json: { url: example.url } }),
      200,
    );
    const engine = s.engine;
    // KPI_THRESHOLD_BREACHED: MTTA over the hand-worked day is 25 minutes (kpi-fixtures.ts), above 20.
    await loadHandIncidents(engine);
    const metric = await engine.kpis.create({ name: 'mtta 20', metric_type: 'MTTA', target_value: 20 });
    await engine.kpis.calculate(metric.id, { end: kpiEnd });
    // COST_THRESHOLD_EXCEEDED: 1.5 h down at 1,200.00 an hour is 1,800.00, above 1,000.00.
    await engine.costs.updateSettings({ reporting_currency: 'USD', incident_cost_threshold: '1000.00' });
    await engine.costs.setServiceTier({ service: 'checkout', service_tier: 'gold', business_unit: 'retail' });
    await engine.costs.createModel({
      name: 'gold retail',
      service_tier: 'gold',
      business_unit: 'retail',
      currency: 'USD',
      effective_from: '2024-01-01T00:00:00Z',
      downtime_cost_per_hour: '1200.00',
    });
    await engine.incidents.ingest({
      records: [
        {
          external_id: 'COST-1',
          title: 'checkout down',
          service: 'checkout',
          severity: 'HIGH',
          created_at: '2024-05-31T10:00:00Z',
          resolved_at: '2024-05-31T11:30:00Z',
        },
      ],
    });
    await engine.costs.calculate({ windowHours: 24, end: new Date('2024-06-01T00:00:00Z') });
    // MODEL_TRAINING_COMPLETED: a small forest on 1,500 seeded incidents of the last 30 days.
    await loadSyntheticIncidents(engine, { seed: 3, count: 1500, days: 30 });
    const model = await engine.models.create({
      name: 'severity',
      model_type: 'SEVERITY_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 10, max_depth: 5 },
      training_data_period_days: 30,
    });
    await engine.models.trainNow(model.id);
    // ANOMALY_DETECTED: the planted storm of the seeded storm fixture (anomaly-fixtures.ts).
    const storm = stormFixture();
    await insertIncidents(internalContext(engine).db, [...storm.background, ...storm.storm]);
    await engine.anomalies.run({ end: storm.end, windowHours: 48 });

    const recorded = await engine.events.after(0);
    expect(new Set(recorded.map((e) => e.event_type))).toEqual(new Set(eventTypes));
    // The server's drain delivers them; the example prints each event it verified, once.
    await until('every event at the example receiver', 30, () => example.lines().length >= recorded.length);
    const lines = example.lines();
    expect(lines.map((l) => l.event.id).sort()).toEqual(recorded.map((e) => e.id).sort());
    const byType = (type: string) => lines.filter((l) => l.event.type === type).map((l) => l.event.data);
    expect(byType('KPI_THRESHOLD_BREACHED')).toEqual([
      expect.objectContaining({ metric_id: metric.id, value: '25', target_value: '20' }),
    ]);
    expect(byType('COST_THRESHOLD_EXCEEDED')).toEqual([
      expect.objectContaining({ total_cost: '1800.00', threshold: '1000.00', service: 'checkout' }),
    ]);
    expect(byType('MODEL_TRAINING_COMPLETED')).toEqual([
      expect.objectContaining({ id: model.id, version: '1' }),
    ]);
    const anomalies = (await engine.anomalies.list({ pageSize: 100 })).results;
    expect(
      byType('ANOMALY_DETECTED')
        .map((a) => (a as { id: string }).id)
        .sort(),
    ).toEqual(anomalies.map((a) => a.id).sort());
    const deliveries = await json<{ results: { status: string; attempts: { response_code: number }[] }[] }>(
      await s.fetch(`${base}${created.id}/deliveries/?page_size=100`, { as: 'admin' }),
      200,
    );
    expect(deliveries.results).toHaveLength(recorded.length);
    for (const d of deliveries.results) {
      expect(d.status).toBe('SUCCEEDED');
      expect(d.attempts.map((a) => a.response_code)).toEqual([200]);
    }
  }, 60_000);

  it('verify in examples/webhook_receiver.py too, test events included', async () => {
    const created = await json<{ id: string; secret: string }>(
      await create({ url: 'http://127.0.0.1:9/not-yet', event_types: ['KPI_THRESHOLD_BREACHED'] }),
      201,
    );
    const python = await startExampleReceiver('python', created.secret);
    receivers.push(python);
    await json(
      await s.fetch(`${base}${created.id}/`, { method: 'PATCH', as: 'admin', json: { url: python.url } }),
      200,
    );
    const test = await json<{ status: string; event_type: string; event_id: string }>(
      await s.fetch(`${base}${created.id}/test/`, { method: 'POST', as: 'admin' }),
      200,
    );
    expect(test).toMatchObject({ status: 'SUCCEEDED', event_type: 'WEBHOOK_TEST' });
    // 5 incidents in the hand-worked day (kpi-fixtures.ts), above a target of 3.
    const metric = await s.engine.kpis.create({
      name: 'count 3',
      metric_type: 'INCIDENT_COUNT',
      aggregation_type: 'SUM',
      target_value: 3,
    });
    await s.engine.kpis.calculate(metric.id, { end: kpiEnd });
    await until('the breach at the Python receiver', 20, () => python.lines().length >= 2);
    expect(python.lines().map((l) => l.event.type)).toEqual(['WEBHOOK_TEST', 'KPI_THRESHOLD_BREACHED']);
    expect(python.lines()[0]?.event.id).toBe(test.event_id);
    expect(python.lines()[1]?.event.data).toMatchObject({ metric_id: metric.id, value: '5' });
  }, 30_000);
});
