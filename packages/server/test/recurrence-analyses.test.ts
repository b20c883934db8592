import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, plantedMonth } from '../../../test/support/recurrence-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

let server: TestServer;
const month = plantedMonth(1);
let total = 0;

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => month.end },
    populate: async (engine) => {
      await insertIncidents(engine, month.incidents);
      total = (await engine.recurrence.analyze({ windowHours: 30 * 24 })).analyses.length;
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

interface Analysis {
  id: string;
  recurrence_type: string;
  confidence_score: number;
  occurrence_count: number;
  is_resolved: boolean;
  resolved_by: string | null;
  resolution_notes: string | null;
  first_seen: string;
  metadata: { confidence: { formula: string } };
}
interface PageBody {
  count: number;
  next: string | null;
  results: Analysis[];
}

describe('/api/analytics/recurrence-analyses/', () => {
  it('lists every analysis to a viewer, with the record in the spec style', async () => {
    const res = await server.fetch('/api/analytics/recurrence-analyses/', { as: 'viewer' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as PageBody;
    expect(total).toBe(5); // the five planted groups of plantedMonth(1); see the engine tests
    expect(body.count).toBe(5);
    const first = body.results[0]!;
    expect(first.first_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof first.confidence_score).toBe('number');
    expect(first.metadata.confidence.formula).toBe('support × similarity × regularity');
  });

  it('filters by recurrence_type, min_confidence and is_resolved, and refuses bad values', async () => {
    const periodic = (await (
      await server.fetch('/api/analytics/recurrence-analyses/?recurrence_type=PERIODIC', { as: 'viewer' })
    ).json()) as PageBody;
    expect(periodic.count).toBe(1);
    expect(periodic.results[0]?.occurrence_count).toBe(29);

    const all = (await (
      await server.fetch('/api/analytics/recurrence-analyses/?page_size=100', { as: 'viewer' })
    ).json()) as PageBody;
    const confident = (await (
      await server.fetch(
        '/api/analytics/recurrence-analyses/?min_confidence=0.8&ordering=-confidence_score',
        {
          as: 'viewer',
        },
      )
    ).json()) as PageBody;
    expect(confident.count).toBe(all.results.filter((a) => a.confidence_score >= 0.8).length);
    expect(confident.count).toBeGreaterThan(0);
    expect(confident.results.every((a) => a.confidence_score >= 0.8)).toBe(true);

    const unresolved = await server.fetch('/api/analytics/recurrence-analyses/?is_resolved=false', {
      as: 'viewer',
    });
    expect(((await unresolved.json()) as PageBody).count).toBe(5);

    for (const query of [
      'recurrence_type=WEEKLY',
      'min_confidence=1.5',
      'is_resolved=maybe',
      'ordering=title',
    ]) {
      const bad = await server.fetch(`/api/analytics/recurrence-analyses/?${query}`, { as: 'viewer' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_ERROR');
    }
  });

  it('resolves for analysts only, once; the unresolved view and detail follow', async () => {
    const list = (await (
      await server.fetch('/api/analytics/recurrence-analyses/?recurrence_type=EXACT_FINGERPRINT', {
        as: 'viewer',
      })
    ).json()) as PageBody;
    const target = list.results[0]!;
    const path = `/api/analytics/recurrence-analyses/${target.id}/resolve/`;

    const viewer = await server.fetch(path, { method: 'POST', as: 'viewer', json: {} });
    expect(viewer.status).toBe(403);
    expect((await server.engine.recurrence.get(target.id)).is_resolved).toBe(false);

    const ok = await server.fetch(path, { method: 'POST', as: 'analyst', json: { notes: 'cron fixed' } });
    expect(ok.status).toBe(200);
    const resolved = (await ok.json()) as Analysis;
    expect(resolved.is_resolved).toBe(true);
    expect(resolved.resolution_notes).toBe('cron fixed');
    const analyst = await server.engine.auth.getUserByUsername('analyst');
    expect(resolved.resolved_by).toBe(analyst.id);

    const twice = await server.fetch(path, { method: 'POST', as: 'admin' });
    expect(twice.status).toBe(409);

    const open = (await (
      await server.fetch('/api/analytics/recurrence-analyses/unresolved/', { as: 'viewer' })
    ).json()) as PageBody;
    expect(open.count).toBe(4);
    expect(open.results.some((a) => a.id === target.id)).toBe(false);

    const detail = await server.fetch(`/api/analytics/recurrence-analyses/${target.id}/`, { as: 'viewer' });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as Analysis).is_resolved).toBe(true);

    const missing = await server.fetch(
      '/api/analytics/recurrence-analyses/4e0d1c1e-0000-4000-8000-000000000009/',
      {
        as: 'viewer',
      },
    );
    expect(missing.status).toBe(404);
    const unauthenticated = await server.fetch('/api/analytics/recurrence-analyses/');
    expect(unauthenticated.status).toBe(401);
  });
});
