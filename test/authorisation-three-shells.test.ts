import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Actor, type Engine, isEngineError, type Role } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsights } from './support/run-cli.ts';
import { startServer, type TestServer } from './support/test-server.ts';

// One rule, one refusal: the engine's policy decides, and the library (engine.as(actor)) and the
// HTTP API (403 with the error contract) refuse the same actions with the same code. The CLI acts
// as the system actor; the one thing the system actor may not do (change a system metric) has no
// CLI command, so there is nothing to refuse there.

let server: TestServer;
let engine: Engine;

beforeAll(async () => {
  server = await startServer({ engine: { now: () => new Date('2024-01-02T00:00:00Z') } });
  engine = server.engine;
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

async function actor(role: Role): Promise<Actor> {
  const user = await engine.auth.getUserByUsername(role);
  return { userId: user.id, username: user.username, roles: [user.role] };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isEngineError(error), String(error)).toBe(true);
  return (error as { code: string }).code;
}

async function systemMttr(): Promise<{ id: string; time_window_hours: number }> {
  const page = await engine.kpis.list({ filters: { is_system_metric: true, metric_type: 'MTTR' } });
  return page.results[0]!;
}

describe('the same forbidden action is refused by the library and the API', () => {
  it('a viewer creating a KPI metric', async () => {
    const before = (await engine.kpis.list()).count;
    const metric = { name: 'viewer metric', metric_type: 'MTTA' } as const;
    expect(await refusal(engine.as(await actor('viewer')).kpis.create(metric))).toBe('FORBIDDEN');
    const response = await server.fetch('/api/analytics/kpi-metrics/', {
      method: 'POST',
      as: 'viewer',
      json: metric,
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; details: unknown; code: string };
    expect(body).toMatchObject({
      code: 'FORBIDDEN',
      details: { action: 'analyses.write', required_role: 'analyst' },
    });
    expect(typeof body.error).toBe('string');
    expect((await engine.kpis.list()).count).toBe(before);
    // Reading is a viewer's right in both shells.
    expect((await engine.as(await actor('viewer')).kpis.list()).count).toBe(before);
    expect((await server.fetch('/api/analytics/kpi-metrics/', { as: 'viewer' })).status).toBe(200);
  });

  it('an analyst creating a user', async () => {
    const user = { username: 'made-by-analyst', password: 'long-enough-1', role: 'viewer' } as const;
    expect(await refusal(engine.as(await actor('analyst')).auth.createUser(user))).toBe('FORBIDDEN');
    const response = await server.fetch('/api/auth/users/', { method: 'POST', as: 'analyst', json: user });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect(await refusal(engine.auth.getUserByUsername('made-by-analyst'))).toBe('NOT_FOUND');
    // An admin may, through the library as well.
    const made = await engine.as(await actor('admin')).auth.createUser(user);
    expect(made.username).toBe('made-by-analyst');
  });

  it('anyone changing a system metric, the admin and the system actor included', async () => {
    const system = await systemMttr();
    const patch = { time_window_hours: 1 };
    expect(await refusal(engine.as(await actor('admin')).kpis.update(system.id, patch))).toBe('FORBIDDEN');
    expect(await refusal(engine.kpis.update(system.id, patch))).toBe('FORBIDDEN');
    expect(await refusal(engine.kpis.delete(system.id))).toBe('FORBIDDEN');
    const response = await server.fetch(`/api/analytics/kpi-metrics/${system.id}/`, {
      method: 'PATCH',
      as: 'admin',
      json: patch,
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect((await systemMttr()).time_window_hours).toBe(system.time_window_hours);
  });

  it('a scoped engine cannot be turned into another actor', async () => {
    const viewer = engine.as(await actor('viewer'));
    expect(() => viewer.as({ userId: null, username: 'x', roles: ['admin'] })).toThrow(
      /cannot act as another/,
    );
  });
});

describe('local users hold extra role names in every shell', () => {
  it('the API creates one with roles and the caller sees them in /me/', async () => {
    const created = await server.fetch('/api/auth/users/', {
      method: 'POST',
      as: 'admin',
      json: { username: 'ceo', role: 'viewer', roles: ['executive'] },
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { roles: string[] }).roles).toEqual(['viewer', 'executive']);
    const { key } = await engine.auth.createToken({ user: 'ceo' });
    const me = await fetch(`${server.url}/api/auth/me/`, { headers: { Authorization: `Token ${key}` } });
    expect(((await me.json()) as { roles: string[] }).roles).toEqual(['viewer', 'executive']);
    // An extra name grants no permission: still a viewer.
    const write = await fetch(`${server.url}/api/analytics/kpi-metrics/`, {
      method: 'POST',
      headers: { Authorization: `Token ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'ceo metric', metric_type: 'MTTA' }),
    });
    expect(write.status).toBe(403);
  });

  it('the CLI takes them as more --role names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'insights-roles-'));
    try {
      const db = path.join(dir, 'roles.duckdb');
      const made = await runInsights([
        '--db',
        db,
        'users',
        'create',
        '--username',
        'mgr',
        '--role',
        'analyst,manager',
        '--json',
      ]);
      expect(made.code, made.stderr).toBe(0);
      expect((JSON.parse(made.stdout) as { roles: string[] }).roles).toEqual(['analyst', 'manager']);
      const two = await runInsights([
        '--db',
        db,
        'users',
        'create',
        '--username',
        'x',
        '--role',
        'viewer',
        '--role',
        'admin',
      ]);
      expect(two.code).toBe(2);
      expect(two.stderr).toMatch(/exactly one of admin, analyst, viewer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
