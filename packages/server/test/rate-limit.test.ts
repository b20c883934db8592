import { openEngine } from '@incident-insights/engine';
import { createApp } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

describe('rate limiting', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ app: { rateLimit: {} } }); // the spec's defaults: 100/min, 1000/h
  });
  afterAll(() => s.close());

  it('answers 429 on request 101 within a minute, with Retry-After and X-RateLimit headers', async () => {
    for (let i = 1; i <= 100; i++) {
      const res = await s.fetch('/api/auth/me/', { as: 'viewer' });
      expect(res.status, `request ${i}`).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('100');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(100 - i));
      await res.arrayBuffer();
    }
    const started = Math.floor(Date.now() / 1000);
    const throttled = await s.fetch('/api/auth/me/', { as: 'viewer' });
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled.headers.get('x-ratelimit-limit')).toBe('100');
    expect(throttled.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(throttled.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(started);
    expect(reset).toBeLessThanOrEqual(started + 61);

    // Another user has a budget of their own.
    expect((await s.fetch('/api/auth/me/', { as: 'analyst' })).status).toBe(200);
  });
});

describe('rate-limit windows', () => {
  it('reopens after the minute and enforces the hourly limit too', async () => {
    const engine = await openEngine({ path: ':memory:' });
    let now = Date.UTC(2026, 0, 1);
    const app = createApp(engine, { logger: false, rateLimit: { perMinute: 3, perHour: 5, now: () => now } });
    await engine.auth.createUser({ username: 'u', role: 'viewer' });
    const { key } = await engine.auth.createToken({ user: 'u' });
    const call = () => app.request('/api/auth/me/', { headers: { Authorization: `Token ${key}` } });
    expect([(await call()).status, (await call()).status, (await call()).status]).toEqual([200, 200, 200]);
    expect((await call()).status).toBe(429); // 4th in the minute
    now += 61_000;
    const fifth = await call();
    expect(fifth.status).toBe(200);
    // 5 counted of the hour's 5 (the refused one counts too): the hour is now the tighter window.
    expect(fifth.headers.get('x-ratelimit-limit')).toBe('5');
    expect(fifth.headers.get('x-ratelimit-remaining')).toBe('0');
    const sixth = await call();
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBe(3600 - 61); // the hour began at the first call
    await engine.close();
  });
});

describe('rate-limit headers', () => {
  it('are on every authenticated response, errors included', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const app = createApp(engine, { logger: false });
    await engine.auth.createUser({ username: 'u', role: 'viewer' });
    const { key } = await engine.auth.createToken({ user: 'u' });
    const headers = { Authorization: `Token ${key}` };
    const notFound = await app.request('/api/nothing-here/', { headers });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-ratelimit-remaining')).toBe('99');
    const wrongMethod = await app.request('/api/auth/me/', { method: 'DELETE', headers });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('x-ratelimit-remaining')).toBe('98');
    await engine.close();
  });
});

describe('login attempts', () => {
  it('are limited per client address before any password is checked', async () => {
    const engine = await openEngine({ path: ':memory:' });
    const app = createApp(engine, { logger: false, rateLimit: { perMinute: 2 } });
    await engine.auth.createUser({ username: 'u', password: 'password-u', role: 'viewer' });
    const attempt = () =>
      app.request('/api/auth/login/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'u', password: 'wrong-password' }),
      });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).not.toBeNull();
    await engine.close();
  });
});
