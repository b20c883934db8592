import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The engine's clock is pinned at 2024-06-01 00:00 UTC. Incident A (checkout: tier gold, retail,
// USD) is HIGH, 10:00 → acknowledged 10:10 → resolved 11:30 on 31 May, 1,000 users, category
// Payments; B (billing: gold, finance, EUR at 1.10) MEDIUM 12:00 → 12:20, 1 user. The amounts are
// worked by hand in packages/engine/test/cost/cost-types-by-hand.test.ts.
const now = new Date('2024-06-01T00:00:00Z');
const base = '/api/analytics/cost-analyses/';
let server: TestServer;

interface Analysis {
  id: string;
  cost_type: string;
  cost_amount: string;
  computed_amount: string;
  is_validated: boolean;
  validated_by: string | null;
  validated_at: string | null;
  validation_notes: string | null;
  calculation_details: Record<string, unknown>;
}

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    populate: async (engine) => {
      await engine.incidents.ingest({
        records: [
          {
            external_id: 'A',
            title: 'checkout down',
            service: 'checkout',
            severity: 'HIGH',
            category: 'Payments',
            created_at: '2024-05-31T10:00:00Z',
            acknowledged_at: '2024-05-31T10:10:00Z',
            resolved_at: '2024-05-31T11:30:00Z',
            affected_users: 1000,
          },
          {
            external_id: 'B',
            title: 'billing slow',
            service: 'billing',
            severity: 'MEDIUM',
            created_at: '2024-05-31T12:00:00Z',
            resolved_at: '2024-05-31T12:20:00Z',
            affected_users: 1,
          },
        ],
      });
    },
  });
}, 60_000);
afterAll(async () => server?.close());

async function send(method: string, path: string, json: unknown, as: 'analyst' | 'viewer' = 'analyst') {
  return server.fetch(path, { method, as, json });
}

async function finished(jobId: string): Promise<{ status: string; result: Record<string, unknown> }> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const job = (await (await server.fetch(`/api/jobs/${jobId}/`, { as: 'viewer' })).json()) as {
      status: string;
      result: Record<string, unknown>;
    };
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('cost impact over HTTP', () => {
  it('is configured through /cost-models/, refusing bad input with the field named', async () => {
    const settings = await send('PUT', '/api/analytics/cost-models/settings/', {
      reporting_currency: 'USD',
      exchange_rates: { EUR: '1.10' },
      incident_cost_threshold: '5000.00',
    });
    expect(settings.status).toBe(200);
    for (const [service, bu] of [
      ['checkout', 'retail'],
      ['billing', 'finance'],
    ]) {
      const res = await send('PUT', '/api/analytics/cost-models/service-tiers/', {
        service,
        service_tier: 'gold',
        business_unit: bu,
      });
      expect(res.status).toBe(200);
    }
    const retail = {
      name: 'gold retail 2024',
      service_tier: 'gold',
      business_unit: 'retail',
      currency: 'USD',
      effective_from: '2024-01-01T00:00:00Z',
      downtime_cost_per_hour: '1200.00',
      revenue_per_hour: '10000.00',
      lost_revenue_share: { HIGH: '0.25', CRITICAL: '1' },
      responder_hourly_rate: '80.00',
      responders: 3,
      reputation_cost_per_user: '0.50',
      compliance_cost_per_incident: '2500.00',
      compliance_categories: ['Payments'],
    };
    const viewer = await send('POST', '/api/analytics/cost-models/', retail, 'viewer');
    expect(viewer.status).toBe(403);
    const bad = await send('POST', '/api/analytics/cost-models/', {
      ...retail,
      downtime_cost_per_hour: '12.345',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('downtime_cost_per_hour');
    const created = await send('POST', '/api/analytics/cost-models/', retail);
    expect(created.status).toBe(201);
    const model = (await created.json()) as { id: string; effective_to: string | null };
    expect(model.effective_to).toBeNull();
    const again = await send('POST', '/api/analytics/cost-models/', retail);
    expect(again.status).toBe(409);
    const finance = await send('POST', '/api/analytics/cost-models/', {
      name: 'gold finance 2024',
      service_tier: 'gold',
      business_unit: 'finance',
      currency: 'EUR',
      effective_from: '2024-01-01T00:00:00Z',
      downtime_cost_per_hour: '100.00',
      reputation_cost_per_user: '0.15',
    });
    expect(finance.status).toBe(201);
    const detail = await server.fetch(`/api/analytics/cost-models/${model.id}/`, { as: 'viewer' });
    expect(((await detail.json()) as { name: string }).name).toBe('gold retail 2024');
    const models = (await (await server.fetch('/api/analytics/cost-models/', { as: 'viewer' })).json()) as {
      count: number;
    };
    expect(models.count).toBe(2);
  });

  it('calculates as a calculate_costs job and lists, filters, details and summarises', async () => {
    const submitted = await send('POST', '/api/jobs/', {
      kind: 'calculate_costs',
      parameters: { time_window: 24, end: '2024-06-01T00:00:00Z' },
    });
    expect(submitted.status, await submitted.clone().text()).toBeLessThan(300);
    const job = await finished(((await submitted.json()) as { id: string }).id);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      result: { created: 7, updated: 0, threshold_events: 1 },
    });

    const page = (await (await server.fetch(`${base}?ordering=-cost_amount`, { as: 'viewer' })).json()) as {
      count: number;
      results: Analysis[];
    };
    expect(page.count).toBe(7);
    expect(page.results.map((r) => r.cost_amount)).toEqual([
      '3750.00',
      '2500.00',
      '1800.00',
      '500.00',
      '320.00',
      '36.67',
      '0.17',
    ]);
    const downtime = (await (
      await server.fetch(`${base}?cost_type=DOWNTIME&search=retail`, { as: 'viewer' })
    ).json()) as {
      results: Analysis[];
    };
    expect(downtime.results.map((r) => r.cost_amount)).toEqual(['1800.00']);
    const none = (await (await server.fetch(`${base}?end_date=2024-05-31`, { as: 'viewer' })).json()) as {
      count: number;
    };
    expect(none.count).toBe(0); // every analysis was created at 2024-06-01 00:00
    const badType = await server.fetch(`${base}?cost_type=FUEL`, { as: 'viewer' });
    expect(badType.status).toBe(400);

    const summary = await (await server.fetch(`${base}summary/`, { as: 'viewer' })).json();
    expect(summary).toEqual({
      total_cost: '8906.84',
      currency: 'USD',
      downtime_cost: '1836.67',
      lost_revenue: '3750.00',
      penalty_cost: '0.00',
      resource_cost: '320.00',
      total_downtime_hours: '1.8333',
      total_affected_users: 1001,
      cost_per_hour: '4858.36',
      cost_per_user: '8.90',
    });
    const id = downtime.results[0]?.id;
    const detail = (await (await server.fetch(`${base}${id}/`, { as: 'viewer' })).json()) as Analysis;
    expect(detail.calculation_details).toMatchObject({
      downtime_cost_per_hour: '1200.00',
      downtime_seconds: 5400,
    });
  });

  it('validates for analysts, recording who, when, notes and the correction; viewers get 403', async () => {
    const [first] = (
      (await (await server.fetch(`${base}?cost_type=DOWNTIME&search=retail`, { as: 'viewer' })).json()) as {
        results: Analysis[];
      }
    ).results;
    const path = `${base}${first?.id}/validate/`;
    expect((await send('POST', path, {}, 'viewer')).status).toBe(403);
    expect((await send('POST', path, { corrected_amount: 'lots' })).status).toBe(400);
    const res = await send('POST', path, { validation_notes: 'checked', corrected_amount: '1700.00' });
    expect(res.status).toBe(200);
    const me = (await (await server.fetch('/api/auth/me/', { as: 'analyst' })).json()) as { id: string };
    expect(await res.json()).toMatchObject({
      is_validated: true,
      validated_by: me.id,
      validated_at: now.toISOString(),
      validation_notes: 'checked',
      cost_amount: '1700.00',
      computed_amount: '1800.00',
    });
    const validated = (await (await server.fetch(`${base}?is_validated=true`, { as: 'viewer' })).json()) as {
      count: number;
    };
    expect(validated.count).toBe(1);
    const unknownField = await send('POST', path, { notes: 'x' });
    expect(unknownField.status).toBe(400);
    // Without a body: validated as computed.
    const [reputation] = (
      (await (
        await server.fetch(`${base}?cost_type=REPUTATION_COST&ordering=cost_amount`, { as: 'viewer' })
      ).json()) as {
        results: Analysis[];
      }
    ).results;
    const bare = await server.fetch(`${base}${reputation?.id}/validate/`, { method: 'POST', as: 'analyst' });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({
      is_validated: true,
      cost_amount: '0.17',
      corrected_amount: null,
    });
    const missing = await server.fetch(`${base}00000000-0000-4000-8000-000000000999/`, { as: 'viewer' });
    expect(missing.status).toBe(404);
  });
});
