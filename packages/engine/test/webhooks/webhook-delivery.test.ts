import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Engine, verifyWebhookSignature } from '../../src/index.ts';
import {
  appendEvent,
  openWebhookEngine,
  type Receiver,
  startReceiver,
  type TestClock,
} from './webhook-fixtures.ts';

let clock: TestClock;
let engine: Engine;
let receiver: Receiver;

beforeEach(async () => {
  clock = { now: new Date('2026-03-01T12:00:00Z') };
  engine = await openWebhookEngine(clock);
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await engine.close();
});

describe('work to do', () => {
  it('is none while no active subscription could receive the new events', async () => {
    const event = {
      incident_id: crypto.randomUUID(),
      total_cost: '1.00',
      threshold: '0.50',
      currency: 'USD',
    };
    await appendEvent(engine, 'COST_THRESHOLD_EXCEEDED', event);
    // Without a subscription, a server would otherwise queue a delivery job for every event.
    expect(await engine.webhooks.hasWork()).toBe(false);
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['COST_THRESHOLD_EXCEEDED'],
    });
    // A subscription receives the events from its creation on: the earlier one is not its work.
    await engine.webhooks.deliver();
    expect(receiver.received).toHaveLength(0);
    await engine.webhooks.update(hook.id, { is_active: false });
    await appendEvent(engine, 'COST_THRESHOLD_EXCEEDED', event);
    expect(await engine.webhooks.hasWork()).toBe(false);
    await engine.webhooks.update(hook.id, { is_active: true });
    await appendEvent(engine, 'COST_THRESHOLD_EXCEEDED', event);
    expect(await engine.webhooks.hasWork()).toBe(true);
  });
});

describe('a delivery', () => {
  it('arrives signed with the documented headers, verifies, and fails with a wrong secret or a stale timestamp', async () => {
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['COST_THRESHOLD_EXCEEDED'],
    });
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    await appendEvent(engine, 'COST_THRESHOLD_EXCEEDED', {
      incident_id: crypto.randomUUID(),
      total_cost: '7200.00',
      previous_total: '0',
      threshold: '5000.00',
      currency: 'USD',
    });
    expect(await engine.webhooks.hasWork()).toBe(true);
    const pass = await engine.webhooks.deliver();
    expect(pass).toMatchObject({ eventsRead: 1, deliveriesCreated: 1, attempted: 1, succeeded: 1 });
    expect(await engine.webhooks.hasWork()).toBe(false);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const event = (await engine.events.after(0))[0]!;
    const deliveries = await engine.webhooks.deliveries(hook.id, {});
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'IncidentInsights-Webhooks/1',
      'x-insights-event-id': event.id,
      'x-insights-event-type': 'COST_THRESHOLD_EXCEEDED',
      'x-insights-delivery-id': deliveries.results[0]!.id,
      // The pinned clock, 2026-03-01T12:00:00Z, in Unix seconds.
      'x-insights-timestamp': '1772366400',
    });
    const body = JSON.parse(got!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: event.id,
      type: 'COST_THRESHOLD_EXCEEDED',
      created_at: '2026-03-01T12:00:00.000Z',
      data: { total_cost: '7200.00', threshold: '5000.00', currency: 'USD', service: null },
    });
    const header = String(got!.headers['x-insights-signature']);
    expect(header).toMatch(/^v1=[0-9a-f]{64}$/);
    const check = { timestamp: '1772366400', body: got!.body, header, now: clock.now };
    expect(verifyWebhookSignature({ ...check, secret: hook.secret })).toBe(true);
    expect(verifyWebhookSignature({ ...check, secret: `${hook.secret}x` })).toBe(false);
    expect(verifyWebhookSignature({ ...check, body: `${got!.body} `, secret: hook.secret })).toBe(false);
    // Replayed 301 s later: refused although the signature is right.
    const later = new Date(clock.now.getTime() + 301_000);
    expect(verifyWebhookSignature({ ...check, secret: hook.secret, now: later })).toBe(false);
    expect(deliveries.results[0]).toMatchObject({
      status: 'SUCCEEDED',
      attempts: [{ attempt: 1, response_code: 200, response_excerpt: 'ok', error: null }],
      delivered_at: clock.now,
    });
  });

  it('is created once per event and subscription, however many passes run', async () => {
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', { model_id: crypto.randomUUID(), version: '1' });
    await Promise.all([engine.webhooks.deliver(), engine.webhooks.deliver()]);
    await engine.webhooks.deliver();
    expect((await engine.webhooks.deliveries(hook.id)).count).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('is sent once when two passes overlap, however the answers interleave', async () => {
    let n = 0;
    // Answers after 0, 40 or 80 ms in turn, so the two passes finish deliveries out of order.
    receiver.reply = (response) => {
      setTimeout(() => response.writeHead(200).end('ok'), (n++ % 3) * 40);
    };
    await engine.webhooks.create({ url: receiver.url, event_types: ['MODEL_TRAINING_COMPLETED'] });
    for (let i = 0; i < 24; i++) {
      await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', { model_id: crypto.randomUUID(), version: '1' });
    }
    const first = engine.webhooks.deliver();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const results = await Promise.all([first, engine.webhooks.deliver()]);
    expect(results[0].succeeded + results[1].succeeded).toBe(24);
    const ids = receiver.received.map((r) => r.headers['x-insights-event-id']);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
  });

  it('is not made for events older than the subscription or for other event types', async () => {
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', { model_id: crypto.randomUUID(), version: '1' });
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'KPI_THRESHOLD_BREACHED', { metric_id: crypto.randomUUID() });
    const pass = await engine.webhooks.deliver();
    expect(pass).toMatchObject({ eventsRead: 2, deliveriesCreated: 0, attempted: 0 });
    expect((await engine.webhooks.deliveries(hook.id)).count).toBe(0);
  });
});

describe('subscriptions', () => {
  it('never show the secret in get or list', async () => {
    const hook = await engine.webhooks.create({ url: receiver.url, event_types: ['ANOMALY_DETECTED'] });
    const got = await engine.webhooks.get(hook.id);
    const page = await engine.webhooks.list({});
    for (const record of [got, ...page.results]) {
      expect(record).not.toHaveProperty('secret');
      expect(JSON.stringify(record)).not.toContain(hook.secret.slice(6));
    }
    expect(page.count).toBe(1);
  });

  it('are listed with the is_active and event_type filters and the url ordering', async () => {
    const a = await engine.webhooks.create({ url: `${receiver.url}/b`, event_types: ['ANOMALY_DETECTED'] });
    const b = await engine.webhooks.create({
      url: `${receiver.url}/a`,
      event_types: ['KPI_THRESHOLD_BREACHED'],
      is_active: false,
    });
    const ids = async (request: Parameters<Engine['webhooks']['list']>[0]) =>
      (await engine.webhooks.list(request)).results.map((r) => r.id);
    expect(await ids({ filters: { is_active: 'true' } })).toEqual([a.id]);
    expect(await ids({ filters: { is_active: false } })).toEqual([b.id]);
    expect(await ids({ filters: { event_type: 'KPI_THRESHOLD_BREACHED' } })).toEqual([b.id]);
    expect(await ids({ ordering: 'url' })).toEqual([b.id, a.id]);
    await expect(engine.webhooks.list({ filters: { is_active: 'maybe' } })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('answer NOT_FOUND for unknown and malformed ids, and are removed with their deliveries', async () => {
    await expect(engine.webhooks.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.webhooks.get(crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const hook = await engine.webhooks.create({ url: receiver.url, event_types: ['ANOMALY_DETECTED'] });
    await engine.webhooks.sendTest(hook.id);
    await engine.webhooks.remove(hook.id);
    await expect(engine.webhooks.get(hook.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine.webhooks.remove(hook.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('send a test event on demand, recorded like any delivery', async () => {
    const hook = await engine.webhooks.create({ url: receiver.url, event_types: ['ANOMALY_DETECTED'] });
    const delivery = await engine.webhooks.sendTest(hook.id);
    expect(delivery).toMatchObject({ event_type: 'WEBHOOK_TEST', status: 'SUCCEEDED', webhook_id: hook.id });
    expect(receiver.received[0]?.headers['x-insights-event-type']).toBe('WEBHOOK_TEST');
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      type: 'WEBHOOK_TEST',
      data: { webhook_id: hook.id },
    });
  });
});
