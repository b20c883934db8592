import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.ts';
import { openWebhookEngine, type TestClock } from './webhook-fixtures.ts';

let clock: TestClock;
let engine: Engine;

beforeEach(async () => {
  clock = { now: new Date('2026-03-01T12:00:00Z') };
  // No allow-list: every internal address is refused.
  engine = await openWebhookEngine(clock, { allowHosts: [] });
});
afterEach(() => engine.close());

async function refusal(input: Record<string, unknown>): Promise<{ message: string; details: unknown }> {
  const error = await engine.webhooks.create(input as never).then(
    () => undefined,
    (e: { code: string; message: string; details: unknown }) => e,
  );
  expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
  return error as { message: string; details: unknown };
}

describe('creating a subscription', () => {
  it.each([
    ['http://127.0.0.1/hook', 'loopback address'],
    ['http://10.0.0.1/hook', 'private address (10.0.0.0/8)'],
    ['http://169.254.169.254/latest/meta-data', 'link-local address'],
    ['http://[::1]:8080/hook', 'loopback address (::1)'],
    ['http://localhost:8080/hook', 'resolves to 127.0.0.1, a loopback address'],
    ['ftp://example.com/hook', 'the scheme must be http or https, not ftp'],
    ['https://user:pw@example.com/hook', 'must not carry credentials'],
    ['not a url', 'is not a valid absolute URL'],
  ])('refuses %s on field url, saying why', async (url, why) => {
    const error = await refusal({ url, event_types: ['ANOMALY_DETECTED'] });
    expect(error.message).toContain(why);
    expect(error.details).toMatchObject({ field: 'url' });
    expect((await engine.webhooks.list({})).count).toBe(0);
  });

  it('refuses unknown fields, empty or unknown event types and bad filters', async () => {
    const url = 'http://93.184.216.34/hook';
    expect((await refusal({ url, event_types: ['ANOMALY_DETECTED'], secret: 'mine' })).message).toContain(
      'secret unknown field',
    );
    expect((await refusal({ url, event_types: [] })).message).toContain('event_types');
    expect((await refusal({ url, event_types: ['INCIDENT_CREATED'] })).message).toContain('event_types');
    expect(
      (await refusal({ url, event_types: ['ANOMALY_DETECTED'], filters: { anomaly_severity: ['HUGE'] } }))
        .message,
    ).toContain('filters.anomaly_severity');
    expect(
      (await refusal({ url, event_types: ['ANOMALY_DETECTED'], filters: { metric: ['not-a-uuid'] } }))
        .message,
    ).toContain('filters.metric');
    expect(
      (await refusal({ url, event_types: ['ANOMALY_DETECTED'], filters: { team: ['ops'] } })).message,
    ).toContain('filters.team unknown field');
  });

  it('accepts a public address literal without resolving it, and checks a changed url again', async () => {
    const hook = await engine.webhooks.create({
      url: 'http://93.184.216.34/hook',
      event_types: ['ANOMALY_DETECTED'],
    });
    expect(hook).toMatchObject({ is_active: true, description: '', filters: {}, disabled_reason: null });
    await expect(engine.webhooks.update(hook.id, { url: 'http://192.168.0.10/' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'url' },
    });
    expect((await engine.webhooks.get(hook.id)).url).toBe('http://93.184.216.34/hook');
  });
});

describe('the allow-list', () => {
  it('lets a listed host through', async () => {
    const allowing = await openWebhookEngine(clock, { allowHosts: ['localhost'] });
    try {
      const hook = await allowing.webhooks.create({
        url: 'http://localhost:9/hook',
        event_types: ['ANOMALY_DETECTED'],
      });
      expect(hook.url).toBe('http://localhost:9/hook');
      await expect(
        allowing.webhooks.create({ url: 'http://127.0.0.1:9/hook', event_types: ['ANOMALY_DETECTED'] }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    } finally {
      await allowing.close();
    }
  });

  it('is checked when the engine opens', async () => {
    await expect(openWebhookEngine(clock, { timeoutMs: -1 })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });
});
