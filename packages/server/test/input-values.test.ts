import { parseInstant } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

interface ErrorBody {
  error: string;
  code: string;
  details: { parameter?: string; errors: { field: string; message: string }[] };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

async function errorOf(path: string, init: Parameters<TestServer['fetch']>[1] = { as: 'viewer' }) {
  const res = await server.fetch(path, init);
  expect(res.status).toBe(400);
  return (await res.json()) as ErrorBody;
}

describe('the date parser shared by query and body', () => {
  it('reads dates, date-times and offsets as instants', () => {
    const at = (text: string) => {
      const parsed = parseInstant(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.date.toISOString();
    };
    expect(at('2024-02-29')).toBe('2024-02-29T00:00:00.000Z'); // 2024 is a leap year
    expect(at('2026-02-28T23:59:59.9999Z')).toBe('2026-02-28T23:59:59.999Z');
    expect(at('2026-03-01T01:30+02:00')).toBe('2026-02-28T23:30:00.000Z');
    expect(at('2026-03-01 10:00')).toBe('2026-03-01T10:00:00.000Z'); // no offset: UTC
  });

  it('refuses impossible calendar dates and clock times, saying which part is wrong', () => {
    const problem = (text: string) => {
      const parsed = parseInstant(text);
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(problem('2026-02-30')).toBe('has day 30, but 2026-02 has days 01 to 28');
    expect(problem('2025-02-29')).toBe('has day 29, but 2025-02 has days 01 to 28'); // not a leap year
    expect(problem('2026-04-31')).toBe('has day 31, but 2026-04 has days 01 to 30');
    expect(problem('2026-13-45')).toBe('has month 13, which is not 01 to 12');
    expect(problem('2026-01-01T24:00')).toBe('has hour 24, which is not 00 to 23');
    expect(problem('2026-01-01T10:61')).toBe('has minute 61, which is not 00 to 59');
    expect(problem('2026-01-01T10:00:60Z')).toBe('has second 60, which is not 00 to 59');
    expect(problem('yesterday')).toMatch(/^must be an ISO 8601 date/);
  });
});

describe('impossible dates are 400 naming the parameter', () => {
  it('in list filters', async () => {
    const feb = await errorOf('/api/analytics/kpi-measurements/?start_date=2026-02-30');
    expect(feb.error).toBe('Invalid query parameter start_date: has day 30, but 2026-02 has days 01 to 28');
    expect(feb.details.parameter).toBe('start_date');
    const month = await errorOf('/api/incidents/?created_after=2026-13-45');
    expect(month.error).toBe('Invalid query parameter created_after: has month 13, which is not 01 to 12');
    const clock = await errorOf('/api/analytics/maintenance-windows/?start_after=2026-01-01T24:61');
    expect(clock.error).toBe('Invalid query parameter start_after: has hour 24, which is not 00 to 23');
    const anomalies = await errorOf('/api/analytics/anomaly-detections/?end_date=2026-02-30');
    expect(anomalies.error).toBe(
      'Invalid query parameter end_date: has day 30, but 2026-02 has days 01 to 28',
    );
  });

  it('in bodies, writing nothing', async () => {
    const body = await errorOf('/api/analytics/maintenance-windows/', {
      method: 'POST',
      as: 'analyst',
      json: { service: 'db', start_at: '2026-02-30T01:00:00Z', end_at: '2026-03-01T02:00:00Z' },
    });
    expect(body.error).toBe('Invalid field start_at: has day 30, but 2026-02 has days 01 to 28');
    expect((await server.engine.kpis.maintenanceWindows.list({})).count).toBe(0);

    const incident = await errorOf('/api/incidents/', {
      method: 'POST',
      as: 'analyst',
      json: { title: 'x', severity: 'HIGH', created_at: '2026-02-30T10:00:00Z' },
    });
    expect(incident.error).toBe('invalid incident: created_at: has day 30, but 2026-02 has days 01 to 28');
    const bulk = await errorOf('/api/incidents/bulk/', {
      method: 'POST',
      as: 'analyst',
      json: [{ title: 'x', severity: 'HIGH', created_at: '2026-01-01T24:61:00Z' }],
    });
    expect(bulk.details.errors[0]).toMatchObject({
      field: 'created_at',
      message: 'has hour 24, which is not 00 to 23',
    });
    expect((await server.engine.incidents.list({})).count).toBe(0);
  });

  it('while possible ones still filter', async () => {
    const ok = await server.fetch(
      '/api/analytics/anomaly-detections/?start_date=2024-02-29&end_date=2024-03-01',
      {
        as: 'viewer',
      },
    );
    expect(ok.status).toBe(200);
  });
});

describe('messages say what is wrong', () => {
  it('a number out of its range says the range', async () => {
    const high = await errorOf('/api/analytics/recurrence-analyses/?min_confidence=1.5');
    expect(high.error).toBe('Invalid query parameter min_confidence: must be between 0 and 1');
    const text = await errorOf('/api/analytics/recurrence-analyses/?min_confidence=high');
    expect(text.error).toBe('Invalid query parameter min_confidence: must be a number, between 0 and 1');
    const hex = await errorOf('/api/analytics/recurrence-analyses/?min_confidence=0x1');
    expect(hex.error).toBe('Invalid query parameter min_confidence: must be a number, between 0 and 1');
  });

  it('a token lifetime out of its range says the range', async () => {
    const body = await errorOf('/api/auth/tokens/', {
      method: 'POST',
      as: 'admin',
      json: { user: 'viewer', expires_in_days: 0 },
    });
    expect(body.error).toBe('Invalid field expires_in_days: must be more than 0 and at most 36500');
  });

  it('a boolean accepts exactly the spellings its message lists', async () => {
    const bad = await errorOf('/api/analytics/kpi-metrics/?is_active=maybe');
    expect(bad.error).toBe(
      'Invalid query parameter is_active: must be true or false (also 1 or 0, yes or no; any letter case)',
    );
    // Every spelling the message names, in upper, lower and title case, is accepted with its meaning.
    const system = async (value: string) => {
      const res = await server.fetch(`/api/analytics/kpi-metrics/?is_system_metric=${value}`, {
        as: 'viewer',
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { count: number }).count;
    };
    const systemCount = await system('true');
    expect(systemCount).toBe(8); // one system metric per type but CUSTOM (README)
    for (const word of ['TRUE', 'True', '1', 'yes', 'YES']) expect(await system(word)).toBe(systemCount);
    for (const word of ['false', 'False', 'FALSE', '0', 'no', 'No']) expect(await system(word)).toBe(0);
    for (const word of ['y', 'on', 't', '2']) {
      const res = await server.fetch(`/api/analytics/kpi-metrics/?is_system_metric=${word}`, {
        as: 'viewer',
      });
      expect(res.status).toBe(400);
    }
  });
});
