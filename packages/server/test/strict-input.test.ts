import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, plantedMonth } from '../../../test/support/recurrence-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

interface ErrorBody {
  error: string;
  code: string;
  details: { parameter?: string; errors: { field: string; message: string }[]; accepted?: string[] };
}

const missingId = '4e0d1c1e-0000-4000-8000-000000000009';
let server: TestServer;
const month = plantedMonth(1);

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => month.end },
    populate: async (engine) => {
      await insertIncidents(engine, month.incidents);
      await engine.recurrence.analyze({ windowHours: 30 * 24 });
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

async function expectUnknown(res: Response, names: string[], what: 'field' | 'query parameter') {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  expect(body.code).toBe('VALIDATION_ERROR');
  expect(body.error).toContain(`Unknown ${what}`);
  for (const name of names) expect(body.error).toContain(name);
  expect(body.details.errors.map((e) => e.field)).toEqual(names);
  expect(body.details.errors.every((e) => e.message === `unknown ${what}`)).toBe(true);
  return body;
}

describe('unknown body fields', () => {
  // One request per route that takes a JSON body, each with a misspelt or made-up field next to
  // valid ones: every one is a 400 naming the field, and nothing is written.
  const cases: { method: string; path: string; body: Record<string, unknown>; unknown?: string[] }[] = [
    {
      method: 'POST',
      path: '/api/incidents/',
      body: { title: 'x', severity: 'HIGH', created_at: '2024-05-01T10:00:00Z', severty: 'LOW' },
    },
    { method: 'PATCH', path: `/api/incidents/${missingId}/`, body: { titel: 'y' } },
    {
      method: 'POST',
      path: '/api/analytics/kpi-metrics/',
      body: { name: 'm', metric_type: 'MTTA', target: 5, window_hours: 24 },
      unknown: ['target', 'window_hours'],
    },
    { method: 'PATCH', path: `/api/analytics/kpi-metrics/${missingId}/`, body: { active: false } },
    {
      method: 'POST',
      path: '/api/analytics/maintenance-windows/',
      body: { start_at: '2024-05-01T00:00:00Z', end_at: '2024-05-01T02:00:00Z', services: ['db'] },
    },
    {
      method: 'POST',
      path: '/api/analytics/anomaly-thresholds/',
      body: { name: 't', series: 'MTTA', kind: 'STATIC', upper: 5, enabled: true },
    },
    {
      method: 'PUT',
      path: `/api/analytics/anomaly-thresholds/${missingId}/`,
      body: { name: 't', series: 'MTTA', kind: 'STATIC', upper: 5, enabled: true },
    },
    {
      method: 'POST',
      path: `/api/analytics/anomaly-detections/${missingId}/acknowledge/`,
      body: { note: 'x' },
    },
    { method: 'POST', path: `/api/analytics/anomaly-detections/${missingId}/confirm/`, body: { note: 'x' } },
    {
      method: 'POST',
      path: `/api/analytics/anomaly-detections/${missingId}/false-positive/`,
      body: { reason: 'x' },
    },
    {
      method: 'POST',
      path: `/api/analytics/anomaly-detections/${missingId}/resolve/`,
      body: { root_cause: 'x' },
    },
    {
      method: 'POST',
      path: `/api/analytics/recurrence-analyses/${missingId}/resolve/`,
      body: { resolution_note: 'x' },
    },
    { method: 'POST', path: '/api/auth/users/', body: { username: 'u1', role: 'viewer', admin: true } },
    { method: 'PATCH', path: `/api/auth/users/${missingId}/`, body: { active: false } },
    { method: 'POST', path: '/api/auth/tokens/', body: { user: 'viewer', expires_days: 3 } },
  ];

  for (const { method, path, body, unknown } of cases) {
    it(`${method} ${path.replace(missingId, '{id}')} refuses the unknown field`, async () => {
      const res = await server.fetch(path, { method, as: 'admin', json: body });
      // The unknown field is the last one of each body, unless the case lists them.
      const error = await expectUnknown(res, unknown ?? Object.keys(body).slice(-1), 'field');
      const takesNoteOnly = /acknowledge|confirm|false-positive/.test(path);
      if (takesNoteOnly) {
        expect(error.details.accepted).toEqual(['action_note']);
      } else {
        expect(error.details.accepted?.length).toBeGreaterThan(0);
      }
    });
  }

  it('names every unknown field of a login, and logs nobody in', async () => {
    const res = await server.fetch('/api/auth/login/', {
      method: 'POST',
      json: { username: 'admin', password: 'password-admin', remember: true, otp: '1' },
    });
    await expectUnknown(res, ['remember', 'otp'], 'field');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('writes nothing when the body has an unknown field', async () => {
    const before = (await server.engine.incidents.list({})).count;
    const res = await server.fetch('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      json: { title: 'x', severity: 'HIGH', created_at: '2024-05-01T10:00:00Z', sevrity: 'LOW' },
    });
    expect(res.status).toBe(400);
    expect((await server.engine.incidents.list({})).count).toBe(before);
  });
});

describe('optional bodies', () => {
  it('take an empty body sent as JSON as no body, and still refuse an unknown field', async () => {
    const path = `/api/analytics/anomaly-detections/${missingId}/acknowledge/`;
    const empty = await server.fetch(path, {
      method: 'POST',
      as: 'analyst',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(empty.status).toBe(404); // past validation: the anomaly does not exist
    const braces = await server.fetch(path, { method: 'POST', as: 'analyst', json: {} });
    expect(braces.status).toBe(404);
    const malformed = await server.fetch(path, {
      method: 'POST',
      as: 'analyst',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).code).toBe('PARSE_ERROR');
  });
});

describe('recurrence resolve notes', () => {
  async function unresolvedIds(): Promise<string[]> {
    const page = await server.engine.recurrence.unresolved({ pageSize: 100 });
    return page.results.map((a) => a.id);
  }

  it('stores resolution_notes, the name the analysis shows them under', async () => {
    const [id] = await unresolvedIds();
    const res = await server.fetch(`/api/analytics/recurrence-analyses/${id}/resolve/`, {
      method: 'POST',
      as: 'analyst',
      json: { resolution_notes: 'rotated the cron job' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resolution_notes: string }).resolution_notes).toBe(
      'rotated the cron job',
    );
    expect((await server.engine.recurrence.get(id!)).resolution_notes).toBe('rotated the cron job');
  });

  it('keeps notes as an alias, and refuses both with different texts', async () => {
    const [first, second] = await unresolvedIds();
    const both = await server.fetch(`/api/analytics/recurrence-analyses/${first}/resolve/`, {
      method: 'POST',
      as: 'analyst',
      json: { resolution_notes: 'a', notes: 'b' },
    });
    expect(both.status).toBe(400);
    expect(((await both.json()) as ErrorBody).error).toBe(
      'Invalid field notes: is an alias of resolution_notes; give one of them',
    );
    expect((await server.engine.recurrence.get(first!)).is_resolved).toBe(false);

    const alias = await server.fetch(`/api/analytics/recurrence-analyses/${second}/resolve/`, {
      method: 'POST',
      as: 'analyst',
      json: { notes: 'old clients still work' },
    });
    expect(alias.status).toBe(200);
    expect((await server.engine.recurrence.get(second!)).resolution_notes).toBe('old clients still work');
  });
});

describe('unknown and repeated query parameters', () => {
  it('refuses a misspelt filter on a list instead of ignoring it', async () => {
    const res = await server.fetch('/api/incidents/?severty=HIGH', { as: 'viewer' });
    const body = await expectUnknown(res, ['severty'], 'query parameter');
    expect(body.details.parameter).toBe('severty');
    expect(body.details.accepted).toContain('severity');
    expect(body.details.accepted).toContain('page_size');
  });

  it('refuses a parameter on a route that takes none', async () => {
    const res = await server.fetch('/api/analytics/kpi-metrics/summary/?time_window=24', { as: 'viewer' });
    await expectUnknown(res, ['time_window'], 'query parameter');
  });

  it('keeps paging, ordering, search and comma-separated lists working', async () => {
    const res = await server.fetch(
      '/api/incidents/?page=1&page_size=5&ordering=-created_at&search=a&severity=HIGH,CRITICAL',
      { as: 'viewer' },
    );
    expect(res.status).toBe(200);
  });

  it('refuses a repeated parameter, saying lists are comma-separated', async () => {
    const res = await server.fetch('/api/analytics/kpi-metrics/?metric_type=MTTA&metric_type=MTTR', {
      as: 'viewer',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toBe(
      'Invalid query parameter metric_type: given 2 times; give each parameter once ' +
        '(filters that take several values take them comma-separated, e.g. severity=HIGH,CRITICAL)',
    );
    expect(body.details.parameter).toBe('metric_type');
    const page = await server.fetch('/api/incidents/?page=1&page=2', { as: 'viewer' });
    expect(page.status).toBe(400);
    expect(((await page.json()) as ErrorBody).details.parameter).toBe('page');
  });
});
