import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryRecord, type Engine, verifyWebhookSignature } from '../../src/index.ts';
import {
  appendEvent,
  freePort,
  openWebhookEngine,
  type Receiver,
  startReceiver,
  type TestClock,
} from './webhook-fixtures.ts';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function setUp(
  options: Parameters<typeof openWebhookEngine>[1] = {},
): Promise<{ clock: TestClock; engine: Engine }> {
  const clock = { now: new Date('2026-03-01T12:00:00Z') };
  const engine = await openWebhookEngine(clock, {
    initialBackoffMs: 1000,
    retryHorizonMs: 10_000,
    timeoutMs: 2000,
    ...options,
  });
  opened.push(engine);
  return { clock, engine };
}

async function receiverOn(port = 0, reply?: Receiver['reply']): Promise<Receiver> {
  const r = await startReceiver(port, reply);
  opened.push(r);
  return r;
}

const model = () => ({ model_id: crypto.randomUUID(), version: '1' });

async function only(engine: Engine, hook: string): Promise<DeliveryRecord> {
  const page = await engine.webhooks.deliveries(hook);
  expect(page.count).toBe(1);
  return page.results[0]!;
}

describe('retries', () => {
  it('deliver every event exactly once when the receiver comes up, honouring the backoff', async () => {
    const { clock, engine } = await setUp();
    const port = await freePort();
    const hook = await engine.webhooks.create({
      url: `http://127.0.0.1:${port}/hook`,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    for (let i = 0; i < 3; i++) await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    const down = await engine.webhooks.deliver();
    expect(down).toMatchObject({
      eventsRead: 3,
      deliveriesCreated: 3,
      attempted: 3,
      succeeded: 0,
      retrying: 3,
    });
    const waiting = (await engine.webhooks.deliveries(hook.id)).results;
    for (const d of waiting) {
      expect(d.status).toBe('RETRYING');
      expect(d.attempts[0]?.error).toMatch(/ECONNREFUSED/);
      // Full jitter after the first failure: a wait in [0, 1000] ms.
      const wait = d.next_attempt_at!.getTime() - clock.now.getTime();
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(1000);
    }
    const receiver = await receiverOn(port);
    const due = waiting.map((d) => d.next_attempt_at!.getTime()).sort((a, b) => a - b);
    // Before the earliest retry time nothing is attempted.
    if (due[0]! > clock.now.getTime()) {
      clock.now = new Date(due[0]! - 1);
      expect((await engine.webhooks.deliver()).attempted).toBe(0);
    }
    clock.now = new Date(due.at(-1)!);
    expect(await engine.webhooks.deliver()).toMatchObject({ attempted: 3, succeeded: 3 });
    clock.now = new Date(clock.now.getTime() + 3_600_000);
    expect(await engine.webhooks.deliver()).toMatchObject({ attempted: 0 });
    const ids = receiver.received.map((r) => r.headers['x-insights-event-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('dead-letter a delivery past the horizon; a manual retry delivers it; a success cannot be retried', async () => {
    const { clock, engine } = await setUp();
    const receiver = await receiverOn(0, (response) => response.writeHead(503).end('busy'));
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    const first = clock.now.getTime();
    let delivery = await (async () => {
      await engine.webhooks.deliver();
      return only(engine, hook.id);
    })();
    while (delivery.status === 'RETRYING') {
      clock.now = delivery.next_attempt_at!;
      await engine.webhooks.deliver();
      delivery = await only(engine, hook.id);
    }
    expect(delivery.status).toBe('DEAD');
    expect(delivery.next_attempt_at).toBeNull();
    expect(delivery.attempts.length).toBeGreaterThan(1);
    delivery.attempts.forEach((a, i) => {
      expect(a).toMatchObject({
        attempt: i + 1,
        response_code: 503,
        response_excerpt: 'busy',
        error: 'HTTP 503',
      });
      // No attempt later than the 10 s horizon after the first; each wait within 1000 · 2^(n−1) ms.
      expect(a.attempted_at.getTime()).toBeLessThanOrEqual(first + 10_000);
      const previous = delivery.attempts[i - 1];
      if (previous) {
        expect(a.attempted_at.getTime() - previous.attempted_at.getTime()).toBeLessThanOrEqual(
          1000 * 2 ** (i - 1),
        );
      }
    });
    expect(receiver.received).toHaveLength(delivery.attempts.length);
    receiver.reply = (response) => response.writeHead(204).end();
    const retried = await engine.webhooks.retryDelivery(hook.id, delivery.id);
    expect(retried.status).toBe('SUCCEEDED');
    expect(retried.attempts.at(-1)).toMatchObject({ response_code: 204, error: null });
    await expect(engine.webhooks.retryDelivery(hook.id, delivery.id)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(engine.webhooks.retryDelivery(hook.id, crypto.randomUUID())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('disable a subscription after N dead letters in a row, and re-enable it by hand', async () => {
    // A 1 ms horizon: every failure is a dead letter at once.
    const { engine } = await setUp({ retryHorizonMs: 1, disableAfterFailures: 2 });
    const receiver = await receiverOn(0, (response) => response.writeHead(500).end());
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ deadLettered: 1, disabled: 0 });
    expect((await engine.webhooks.get(hook.id)).consecutive_failures).toBe(1);
    // A success resets the count: the next dead letter is the first in a row again.
    receiver.reply = (response) => response.writeHead(200).end();
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ succeeded: 1 });
    expect((await engine.webhooks.get(hook.id)).consecutive_failures).toBe(0);
    receiver.reply = (response) => response.writeHead(500).end();
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ deadLettered: 1, disabled: 0 });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ deadLettered: 1, disabled: 1 });
    const disabled = await engine.webhooks.get(hook.id);
    expect(disabled).toMatchObject({ is_active: false, consecutive_failures: 2 });
    expect(disabled.disabled_reason).toMatch(
      /^disabled after 2 failed deliveries in a row \(last: HTTP 500\)/,
    );
    // While disabled, new events are not queued for it.
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ deliveriesCreated: 0, attempted: 0 });
    const enabled = await engine.webhooks.update(hook.id, { is_active: true });
    expect(enabled).toMatchObject({ is_active: true, disabled_reason: null, consecutive_failures: 0 });
    receiver.reply = (response) => response.writeHead(200).end();
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({ deliveriesCreated: 1, succeeded: 1 });
  });
});

describe('the sender', () => {
  it('never follows a redirect: a 302 to a refused address is recorded with its Location and not fetched', async () => {
    const { engine } = await setUp();
    // 127.0.0.2 is loopback too, and not in the allow-list (127.0.0.1 is).
    const internal = await startReceiver(0, undefined, '127.0.0.2');
    opened.push(internal);
    const target = `http://127.0.0.2:${internal.port}/internal`;
    const receiver = await receiverOn(0, (response) => response.writeHead(302, { Location: target }).end());
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    await engine.webhooks.deliver();
    const delivery = await only(engine, hook.id);
    expect(delivery.status).toBe('RETRYING');
    expect(delivery.attempts[0]).toMatchObject({
      response_code: 302,
      error: `redirect 302 to ${target} not followed`,
    });
    expect(internal.received).toHaveLength(0);
  });

  it('reads at most maxResponseBytes of a response and keeps the first 1,024 bytes', async () => {
    const { engine } = await setUp({ maxResponseBytes: 4096 });
    let written = 0;
    const receiver = await receiverOn(0, (response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      const pump = (): void => {
        // 8 MiB at most; the sender hangs up after 4 KiB, so the writes fail long before that.
        while (written < 8 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
    });
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    await engine.webhooks.deliver();
    const delivery = await only(engine, hook.id);
    expect(delivery.status).toBe('SUCCEEDED');
    expect(delivery.attempts[0]?.response_excerpt).toBe('x'.repeat(1024));
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('secret rotation', () => {
  it('signs with both secrets during the grace period, then with the new one only', async () => {
    const { clock, engine } = await setUp({ secretGraceMs: 60_000 });
    const receiver = await receiverOn();
    const hook = await engine.webhooks.create({
      url: receiver.url,
      event_types: ['MODEL_TRAINING_COMPLETED'],
    });
    const rotated = await engine.webhooks.rotateSecret(hook.id);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previous_secret_expires_at).toEqual(new Date(clock.now.getTime() + 60_000));
    const check = async (): Promise<{ entries: number; old: boolean; current: boolean }> => {
      await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
      await engine.webhooks.deliver();
      const got = receiver.received.at(-1)!;
      const header = String(got.headers['x-insights-signature']);
      const input = {
        timestamp: String(got.headers['x-insights-timestamp']),
        body: got.body,
        header,
        now: clock.now,
      };
      return {
        entries: header.split(',').length,
        old: verifyWebhookSignature({ ...input, secret: hook.secret }),
        current: verifyWebhookSignature({ ...input, secret: rotated.secret }),
      };
    };
    expect(await check()).toEqual({ entries: 2, old: true, current: true });
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect(await check()).toEqual({ entries: 1, old: false, current: true });
  });
});

describe('filters', () => {
  it('deliver only the anomalies of the wanted severities and services', async () => {
    const { engine } = await setUp();
    const receiver = await receiverOn();
    await engine.webhooks.create({
      url: receiver.url,
      event_types: ['ANOMALY_DETECTED', 'MODEL_TRAINING_COMPLETED'],
      filters: { anomaly_severity: ['HIGH', 'CRITICAL'], service: ['checkout'] },
    });
    const anomaly = (severity: string, services: string[]) => ({
      id: crypto.randomUUID(),
      severity,
      affected_services: services,
    });
    await appendEvent(engine, 'ANOMALY_DETECTED', anomaly('HIGH', ['checkout']));
    await appendEvent(engine, 'ANOMALY_DETECTED', anomaly('LOW', ['checkout']));
    await appendEvent(engine, 'ANOMALY_DETECTED', anomaly('CRITICAL', ['billing']));
    await appendEvent(engine, 'ANOMALY_DETECTED', anomaly('CRITICAL', ['api', 'checkout']));
    // The filters concern anomalies: a model event passes.
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', model());
    expect(await engine.webhooks.deliver()).toMatchObject({
      eventsRead: 5,
      deliveriesCreated: 3,
      succeeded: 3,
    });
    const got = receiver.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> },
    );
    // Attempts run side by side, so arrival order is not event order: compare sorted.
    expect(got.map((g) => [g.type, g.data['severity'] ?? null]).sort()).toEqual([
      ['ANOMALY_DETECTED', 'CRITICAL'],
      ['ANOMALY_DETECTED', 'HIGH'],
      ['MODEL_TRAINING_COMPLETED', null],
    ]);
  });
});
