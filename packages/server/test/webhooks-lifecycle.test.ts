import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example without types.
import { verifyWebhook } from '../../../examples/webhook-receiver.mjs';
import { end as kpiEnd, loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import {
  type ReceivedRequest,
  startReceiver,
  type TestReceiver,
} from '../../../test/support/webhook-receiver.ts';

// The engine's clock is the test's (retries fall due when the test moves it) and no job runner
// runs, so each delivery pass is the test's `deliver()`. Retries: first backoff at most 1 s,
// doubled each time, full jitter from a pinned seed; nothing later than 10 s after the first
// attempt; a subscription disabled after 2 dead letters in a row; a rotated secret signs for 60 s.
const clock = { now: new Date('2026-01-05T09:00:00Z') };
const advance = (ms: number) => {
  clock.now = new Date(clock.now.getTime() + ms);
};
let s: TestServer;
let receiver: TestReceiver;
const base = '/api/analytics/webhooks/';

beforeAll(async () => {
  s = await startServer({
    jobs: false,
    engine: {
      now: () => clock.now,
      webhooks: {
        allowHosts: ['127.0.0.1'],
        initialBackoffMs: 1000,
        retryHorizonMs: 10_000,
        disableAfterFailures: 2,
        secretGraceMs: 60_000,
        jitterSeed: 7,
      },
    },
    populate: loadHandIncidents,
  });
});
afterAll(() => s.close());
afterEach(async () => {
  await receiver?.close();
});

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

interface Webhook {
  id: string;
  secret: string;
  is_active: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
}
interface Delivery {
  id: string;
  event_id: string;
  status: string;
  attempts: { response_code: number | null; error: string | null; response_excerpt: string | null }[];
}

async function subscribe(url: string, eventTypes: string[] = ['KPI_THRESHOLD_BREACHED']): Promise<Webhook> {
  return json(
    await s.fetch(base, { method: 'POST', as: 'admin', json: { url, event_types: eventTypes } }),
    201,
  );
}

async function deliveries(id: string): Promise<Delivery[]> {
  const page = await json<{ results: Delivery[] }>(
    await s.fetch(`${base}${id}/deliveries/?page_size=100`, { as: 'admin' }),
    200,
  );
  return page.results;
}

/** Breaches `count` new metrics: 5 incidents in the hand-worked day (kpi-fixtures.ts), above 1. */
async function breach(count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const metric = await s.engine.kpis.create({
      name: `count ${crypto.randomUUID()}`,
      metric_type: 'INCIDENT_COUNT',
      aggregation_type: 'SUM',
      target_value: 1,
    });
    await s.engine.kpis.calculate(metric.id, { end: kpiEnd });
  }
}

const verifies = (request: ReceivedRequest, secret: string): boolean =>
  verifyWebhook({ secret, headers: request.headers, body: request.body, now: clock.now.getTime() }).ok;

describe('webhook delivery, retries and the delivery log', () => {
  it('receiver down, then up: every event arrives exactly once per event id', async () => {
    receiver = await startReceiver();
    const hook = await subscribe(receiver.url);
    await breach(3);
    await receiver.down();
    const first = await s.engine.webhooks.deliver();
    expect(first).toMatchObject({ eventsRead: 3, deliveriesCreated: 3, attempted: 3, retrying: 3 });
    // Nothing is due until the backoff (at most 1 s after the first failure) is over.
    expect(await s.engine.webhooks.deliver()).toMatchObject({ attempted: 0 });
    advance(1_001);
    expect(await s.engine.webhooks.deliver()).toMatchObject({ attempted: 3, retrying: 3 });
    const log = await deliveries(hook.id);
    for (const d of log) {
      expect(d.status).toBe('RETRYING');
      expect(d.attempts).toHaveLength(2);
      expect(d.attempts[0]).toMatchObject({ response_code: null, error: expect.stringMatching(/refused/i) });
    }
    await receiver.up();
    advance(2_001);
    expect(await s.engine.webhooks.deliver()).toMatchObject({ attempted: 3, succeeded: 3 });
    advance(60_000);
    expect(await s.engine.webhooks.deliver()).toMatchObject({ eventsRead: 0, attempted: 0 });
    const accepted = receiver.acceptedByEvent();
    expect(accepted.size).toBe(3);
    expect([...accepted.values()]).toEqual([1, 1, 1]);
    for (const request of receiver.received) expect(verifies(request, hook.secret)).toBe(true);
    expect((await deliveries(hook.id)).map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('signs with both secrets during a rotation; a wrong secret fails verification', async () => {
    receiver = await startReceiver();
    const hook = await subscribe(receiver.url);
    const rotated = await json<Webhook & { previous_secret_expires_at: string }>(
      await s.fetch(`${base}${hook.id}/rotate-secret/`, { method: 'POST', as: 'admin' }),
      200,
    );
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previous_secret_expires_at).toBe(new Date(clock.now.getTime() + 60_000).toISOString());
    const shown = await json(await s.fetch(`${base}${hook.id}/`, { as: 'admin' }), 200);
    expect(shown).not.toHaveProperty('secret');
    await json(await s.fetch(`${base}${hook.id}/test/`, { method: 'POST', as: 'admin' }), 200);
    const [during] = receiver.received;
    expect(String(during?.headers['x-insights-signature']).split(',')).toHaveLength(2);
    expect(verifies(during as ReceivedRequest, rotated.secret)).toBe(true);
    expect(verifies(during as ReceivedRequest, hook.secret)).toBe(true);
    expect(verifies(during as ReceivedRequest, 'whsec_not-the-secret')).toBe(false);
    // A body changed on the way fails too.
    expect(verifies({ ...(during as ReceivedRequest), body: `${during?.body} ` }, rotated.secret)).toBe(
      false,
    );
    advance(60_001);
    await json(await s.fetch(`${base}${hook.id}/test/`, { method: 'POST', as: 'admin' }), 200);
    const after = receiver.received[1] as ReceivedRequest;
    expect(String(after.headers['x-insights-signature']).split(',')).toHaveLength(1);
    expect(verifies(after, rotated.secret)).toBe(true);
    expect(verifies(after, hook.secret)).toBe(false);
  });

  it('dead-letters a delivery past the retry horizon; a retry by hand delivers it', async () => {
    receiver = await startReceiver();
    receiver.answer({ status: 500, body: 'database on fire' });
    const hook = await subscribe(receiver.url);
    await breach(1);
    await s.engine.webhooks.deliver();
    for (let pass = 0; pass < 10 && (await deliveries(hook.id))[0]?.status === 'RETRYING'; pass++) {
      advance(5_000);
      await s.engine.webhooks.deliver();
    }
    const [dead] = await deliveries(hook.id);
    expect(dead?.status).toBe('DEAD');
    expect(dead?.attempts[0]).toMatchObject({ response_code: 500, response_excerpt: 'database on fire' });
    const filtered = await json<{ count: number }>(
      await s.fetch(`${base}${hook.id}/deliveries/?status=DEAD`, { as: 'admin' }),
      200,
    );
    expect(filtered.count).toBe(1);
    receiver.answer({ status: 204 });
    const retried = await json<Delivery>(
      await s.fetch(`${base}${hook.id}/deliveries/${dead?.id}/retry/`, { method: 'POST', as: 'admin' }),
      200,
    );
    expect(retried.status).toBe('SUCCEEDED');
    expect(retried.attempts.at(-1)?.response_code).toBe(204);
    expect(receiver.acceptedByEvent().get(retried.event_id)).toBe(1);
    const again = await s.fetch(`${base}${hook.id}/deliveries/${dead?.id}/retry/`, {
      method: 'POST',
      as: 'admin',
    });
    expect(again.status).toBe(409);
  });

  it('disables a subscription after repeated dead letters; PATCH is_active re-enables it', async () => {
    receiver = await startReceiver();
    receiver.answer({ status: 503 });
    const hook = await subscribe(receiver.url);
    await breach(2);
    await s.engine.webhooks.deliver();
    for (let pass = 0; pass < 10; pass++) {
      advance(5_000);
      await s.engine.webhooks.deliver();
    }
    const disabled = await json<Webhook>(await s.fetch(`${base}${hook.id}/`, { as: 'admin' }), 200);
    expect(disabled.is_active).toBe(false);
    expect(disabled.disabled_reason).toEqual(expect.any(String));
    expect(disabled.consecutive_failures).toBe(2);
    // Disabled: a new event is not delivered to it.
    await breach(1);
    const sentBefore = receiver.received.length;
    await s.engine.webhooks.deliver();
    expect(receiver.received.length).toBe(sentBefore);
    const enabled = await json<Webhook>(
      await s.fetch(`${base}${hook.id}/`, { method: 'PATCH', as: 'admin', json: { is_active: true } }),
      200,
    );
    expect(enabled).toMatchObject({ is_active: true, disabled_reason: null, consecutive_failures: 0 });
  });

  it('refuses to follow a redirect to a loopback host the allow-list does not name', async () => {
    const target = await startReceiver();
    try {
      receiver = await startReceiver();
      receiver.answer({ status: 302, headers: { Location: `http://localhost:${target.port}/stolen` } });
      const hook = await subscribe(receiver.url);
      const test = await json<Delivery>(
        await s.fetch(`${base}${hook.id}/test/`, { method: 'POST', as: 'admin' }),
        200,
      );
      expect(test.status).toBe('RETRYING');
      expect(test.attempts[0]).toMatchObject({
        response_code: 302,
        error: expect.stringMatching(/redirect/i),
      });
      expect(receiver.received).toHaveLength(1);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });
});
