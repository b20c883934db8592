import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { end as kpiEnd, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, verifyWebhookSignature } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { configure, incident } from '../cost/cost-fixtures.ts';
import {
  appendEvent,
  openWebhookEngine,
  type Receiver,
  startReceiver,
  type TestClock,
} from './webhook-fixtures.ts';

/**
 * Each of the four domain events, produced by its producer where that is cheap (a KPI breach by a
 * KPI calculation, a cost threshold by a cost calculation) or appended through the outbox in the
 * transaction that writes its resource (an anomaly row, a trained model's version), arrives signed
 * with the resource as the API shows it.
 */
let clock: TestClock;
let engine: Engine;
let receiver: Receiver;
let secret: string;
type Arrived = {
  headers: Record<string, unknown>;
  body: { id: string; type: string; data: Record<string, unknown> };
};
const arrived = new Map<string, Arrived>();

beforeAll(async () => {
  clock = { now: new Date('2024-01-02T00:30:00Z') };
  engine = await openWebhookEngine(clock);
  receiver = await startReceiver();
  const hook = await engine.webhooks.create({
    url: receiver.url,
    event_types: [
      'ANOMALY_DETECTED',
      'KPI_THRESHOLD_BREACHED',
      'MODEL_TRAINING_COMPLETED',
      'COST_THRESHOLD_EXCEEDED',
    ],
  });
  secret = hook.secret;

  // KPI: resolution rate over 2024-01-01 is 60% (kpi-metrics-and-measurements.test.ts), target 70%.
  await loadHandIncidents(engine);
  const metric = await engine.kpis.create({ name: 'rr70', metric_type: 'RESOLUTION_RATE', target_value: 70 });
  await engine.kpis.calculate(metric.id, { end: kpiEnd });

  // Cost: checkout down 6 h at 1,200.00 USD an hour = 7,200.00 ≥ the 5,000.00 threshold (cost-fixtures.ts);
  // the other cost types are 0 for it (LOW, no acknowledgement, no users, not Payments).
  clock.now = new Date('2024-03-02T00:00:00Z');
  await configure(engine);
  await engine.incidents.ingest({
    records: [
      incident('W1', {
        service: 'checkout',
        severity: 'LOW',
        created_at: '2024-03-01T01:00:00Z',
        resolved_at: '2024-03-01T07:00:00Z',
      }),
    ],
  });
  await engine.costs.calculate({ windowHours: 24 });

  // Model: a definition, and a completed training reported in the transaction that records its version.
  const model = await engine.models.create({
    name: 'Severity',
    model_type: 'SEVERITY_PREDICTION',
    algorithm_type: 'RANDOM_FOREST',
    feature_columns: ['title_length'],
    target_column: 'severity',
  });
  await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', {
    model_id: model.id,
    name: model.name,
    version: '1',
  });

  // Anomaly: a stored detection and its event, in one transaction as anomaly-persist.ts writes them.
  const anomalyId = crypto.randomUUID();
  await internalContext(engine).db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO anomaly_detections (id, anomaly_type, severity, status, series_key, member_series, confidence_score,
         anomaly_score, threshold_used, detected_at, time_window_start, time_window_end, related_incidents,
         affected_services, affected_metrics, description, metadata)
       VALUES ($id::UUID, 'VOLUME', 'HIGH', 'DETECTED', 'service=checkout', ['service=checkout'], 0.99, 5.2, 3.0, $at,
         $at, $at, []::UUID[], ['checkout'], ['INCIDENT_COUNT'], 'a storm', '{}')`,
      { id: anomalyId, at: clock.now },
    );
    await engine.events.append(tx, 'ANOMALY_DETECTED', {
      id: anomalyId,
      severity: 'HIGH',
      affected_services: ['checkout'],
    });
  });

  const pass = await engine.webhooks.deliver();
  expect(pass).toMatchObject({ eventsRead: 4, deliveriesCreated: 4, succeeded: 4 });
  for (const r of receiver.received) {
    arrived.set(String(r.headers['x-insights-event-type']), {
      headers: r.headers,
      body: JSON.parse(r.body) as Arrived['body'],
    });
    const ok = verifyWebhookSignature({
      secret,
      timestamp: String(r.headers['x-insights-timestamp']),
      body: r.body,
      header: String(r.headers['x-insights-signature']),
      now: clock.now,
    });
    expect(ok).toBe(true);
  }
}, 60_000);
afterAll(async () => {
  await receiver.close();
  await engine.close();
});

describe('the four events', () => {
  it('each arrive once, signed, with the event id as idempotency key', async () => {
    expect([...arrived.keys()].sort()).toEqual([
      'ANOMALY_DETECTED',
      'COST_THRESHOLD_EXCEEDED',
      'KPI_THRESHOLD_BREACHED',
      'MODEL_TRAINING_COMPLETED',
    ]);
    for (const [type, got] of arrived) {
      expect(got.body.type).toBe(type);
      expect(got.headers['x-insights-event-id']).toBe(got.body.id);
    }
  });

  it('carry the anomaly as engine.anomalies.get shows it', async () => {
    const body = arrived.get('ANOMALY_DETECTED')!.body;
    const record = await engine.anomalies.get(String(body.data['id']));
    expect(body.data).toEqual(JSON.parse(JSON.stringify(record)));
    expect(body.data).toMatchObject({
      severity: 'HIGH',
      affected_services: ['checkout'],
      status: 'DETECTED',
    });
  });

  it('carry the KPI measurement with its metric id and name', async () => {
    const data = arrived.get('KPI_THRESHOLD_BREACHED')!.body.data;
    expect(data).toMatchObject({ metric_name: 'rr70', value: '60', target_value: '70' });
    expect(data['measurement']).toMatchObject({
      metric_id: data['metric_id'],
      metric_name: 'rr70',
      value: '60',
      period_start: '2024-01-01T00:00:00.000Z',
      period_end: '2024-01-02T00:00:00.000Z',
    });
  });

  it('carry the model record', async () => {
    const data = arrived.get('MODEL_TRAINING_COMPLETED')!.body.data;
    expect(data).toMatchObject({ name: 'Severity', model_type: 'SEVERITY_PREDICTION', version: '1' });
  });

  it('carry the cost figures with the incident service', async () => {
    const data = arrived.get('COST_THRESHOLD_EXCEEDED')!.body.data;
    expect(data).toMatchObject({
      total_cost: '7200.00',
      threshold: '5000.00',
      currency: 'USD',
      service: 'checkout',
    });
  });
});
