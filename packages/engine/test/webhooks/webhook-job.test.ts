import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, Engine } from '../../src/index.ts';
import {
  appendEvent,
  freePort,
  openWebhookEngine,
  type Receiver,
  startReceiver,
  type TestClock,
} from './webhook-fixtures.ts';

let clock: TestClock;
let engine: Engine;
let receiver: Receiver;
const analyst: Actor = { userId: 'u-2', username: 'ana', roles: ['analyst'] };
const admin: Actor = { userId: 'u-1', username: 'root', roles: ['admin'] };

beforeEach(async () => {
  clock = { now: new Date('2026-03-01T12:00:00Z') };
  engine = await openWebhookEngine(clock);
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await engine.close();
});

describe('deliver_webhooks', () => {
  it('runs one pass as a job, with the result in snake_case, and refuses unknown parameters', async () => {
    await engine.webhooks.create({ url: receiver.url, event_types: ['MODEL_TRAINING_COMPLETED'] });
    await appendEvent(engine, 'MODEL_TRAINING_COMPLETED', { model_id: crypto.randomUUID(), version: '1' });
    const job = await engine.jobs.run({ kind: 'deliver_webhooks' });
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      scope: 'all',
      result: {
        events_read: 1,
        deliveries_created: 1,
        attempted: 1,
        succeeded: 1,
        retrying: 0,
        dead_lettered: 0,
        disabled: 0,
      },
    });
    expect(receiver.received).toHaveLength(1);
    await expect(
      engine.jobs.submit({ kind: 'deliver_webhooks', parameters: { limit: 5 } }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('refuses a pass limit that is not a whole number from 1 to 100000', async () => {
    for (const limit of [0, 1.5, 100_001]) {
      await expect(engine.webhooks.deliver({ limit })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    }
  });

  it('shares one queued run between two requests', async () => {
    const first = await engine.as(admin).jobs.submit({ kind: 'deliver_webhooks' });
    const second = await engine.jobs.submit({ kind: 'deliver_webhooks' });
    expect(second.job.id).toBe(first.job.id);
    expect(second.deduplicated).toBe(true);
  });
});

describe('permissions', () => {
  it('are admin only: an analyst can neither read subscriptions nor ask for a pass', async () => {
    await expect(engine.as(analyst).webhooks.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      engine.as(analyst).webhooks.create({ url: receiver.url, event_types: ['ANOMALY_DETECTED'] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(engine.as(analyst).jobs.submit({ kind: 'deliver_webhooks' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const hook = await engine
      .as(admin)
      .webhooks.create({ url: receiver.url, event_types: ['ANOMALY_DETECTED'] }, { by: null });
    expect((await engine.as(admin).webhooks.get(hook.id)).id).toBe(hook.id);
  });
});

describe('a restart', () => {
  it('keeps a delivery waiting for its retry in the database, and sends it once after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    const path = join(dir, 'insights.duckdb');
    try {
      const port = await freePort();
      const first = await openWebhookEngine(clock, {}, path);
      const hook = await first.webhooks.create({
        url: `http://127.0.0.1:${port}/`,
        event_types: ['MODEL_TRAINING_COMPLETED'],
      });
      await appendEvent(first, 'MODEL_TRAINING_COMPLETED', { model_id: crypto.randomUUID(), version: '1' });
      expect(await first.webhooks.deliver()).toMatchObject({ retrying: 1 });
      await first.close();
      const up = await startReceiver(port);
      const second = await openWebhookEngine(clock, {}, path);
      try {
        clock.now = new Date(clock.now.getTime() + 60_000);
        expect(await second.webhooks.hasWork()).toBe(true);
        expect(await second.webhooks.deliver()).toMatchObject({ eventsRead: 0, attempted: 1, succeeded: 1 });
        expect(await second.webhooks.deliver()).toMatchObject({ attempted: 0 });
        expect(up.received).toHaveLength(1);
        expect((await second.webhooks.deliveries(hook.id)).results[0]?.attempts).toHaveLength(2);
      } finally {
        await second.close();
        await up.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
