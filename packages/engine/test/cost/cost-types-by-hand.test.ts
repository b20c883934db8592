import { afterEach, describe, expect, it } from 'vitest';
import type { CostAnalysisRecord, Engine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { configure, incident, openCostEngine, type TestClock } from './cost-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/**
 * A: checkout (gold/retail, USD), HIGH, 10:00 → acknowledged 10:10 → resolved 11:30 (1.5 h down,
 * 80 min engaged), 1,000 users, category Payments (regulated). B: billing (gold/finance, EUR at
 * 1.10), MEDIUM, 12:00 → 12:20 (1,200 s), 1 user.
 */
const incidentA = incident('A', {
  service: 'checkout',
  severity: 'HIGH',
  created_at: '2024-05-31T10:00:00Z',
  acknowledged_at: '2024-05-31T10:10:00Z',
  resolved_at: '2024-05-31T11:30:00Z',
  affected_users: 1000,
  category: 'Payments',
});
const incidentB = incident('B', {
  service: 'billing',
  severity: 'MEDIUM',
  created_at: '2024-05-31T12:00:00Z',
  resolved_at: '2024-05-31T12:20:00Z',
  affected_users: 1,
});

async function stocked(clock: TestClock): Promise<Engine> {
  engine = await openCostEngine(clock);
  await configure(engine);
  await engine.incidents.ingest({ records: [incidentA, incidentB] });
  return engine;
}

async function analyses(e: Engine): Promise<Map<string, CostAnalysisRecord>> {
  const page = await e.costs.list({ pageSize: 100 });
  const ids = await internalContext(e).db.all('SELECT id::VARCHAR AS id, external_id FROM incidents');
  const external = new Map(ids.map((r) => [String(r['id']), String(r['external_id'])]));
  return new Map(page.results.map((r) => [`${external.get(r.incident)}|${r.cost_type}`, r]));
}

describe('cost analyses, each cost type worked by hand', () => {
  it('prices every configured cost type of every incident, in the reporting currency', async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    const result = await e.costs.calculate({ windowHours: 24 });
    expect(result).toMatchObject({
      created: 7,
      updated: 0,
      unchanged: 0,
      thresholdEvents: 1,
      missingRates: [],
    });
    const byKey = await analyses(e);
    const amounts = Object.fromEntries([...byKey].map(([k, r]) => [k, r.cost_amount]));
    expect(amounts).toEqual({
      'A|DOWNTIME': '1800.00', // 1,200.00/h x 1.5 h
      'A|LOST_REVENUE': '3750.00', // 10,000.00/h x 0.25 (HIGH) x 1.5 h
      'A|RESOURCE_COST': '320.00', // 80.00/h x 3 people x 80 min
      'A|REPUTATION_COST': '500.00', // 0.50 x 1,000 users
      'A|COMPLIANCE_COST': '2500.00', // category Payments is regulated
      // 100.00 EUR/h x 1,200 s = 33.3333 EUR, x 1.10 = 36.6667 USD, rounded once: 36.67
      // (rounding to 33.33 EUR first would give 36.66).
      'B|DOWNTIME': '36.67',
      // 0.15 EUR x 1 user x 1.10 = 0.165 USD: half-up gives 0.17 (half-even would give 0.16).
      'B|REPUTATION_COST': '0.17',
    });
    const downtime = byKey.get('A|DOWNTIME');
    expect(downtime).toMatchObject({
      currency: 'USD',
      downtime_hours: '1.5000',
      affected_users: 1000,
      revenue_impact: null,
      business_unit: 'retail',
      service_tier: 'gold',
      is_validated: false,
      computed_amount: '1800.00',
      corrected_amount: null,
    });
    expect(downtime?.calculation_method).toContain('downtime_cost_per_hour');
    expect(downtime?.calculation_details).toMatchObject({
      downtime_cost_per_hour: '1200.00',
      downtime_seconds: 5400,
      currency: 'USD',
      exchange_rate: '1',
    });
    expect(byKey.get('A|LOST_REVENUE')?.revenue_impact).toBe('3750.00');
    expect(byKey.get('B|DOWNTIME')?.calculation_details).toMatchObject({
      currency: 'EUR',
      exchange_rate: '1.10',
    });
    expect(byKey.get('B|DOWNTIME')?.downtime_hours).toBe('0.3333');
    // A's total 8,870.00 crosses the 5,000.00 threshold; B's 36.84 does not.
    const events = await e.events.after(0, { types: ['COST_THRESHOLD_EXCEEDED'] });
    expect(events.map((ev) => ev.payload)).toEqual([
      {
        incident_id: downtime?.incident,
        total_cost: '8870.00',
        previous_total: '0.00',
        threshold: '5000.00',
        currency: 'USD',
      },
    ]);
  });

  it('changes nothing when the same window is calculated again, and recomputes a changed incident', async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    await e.costs.calculate({ windowHours: 24 });
    const before = await analyses(e);
    const again = await e.costs.calculate({ windowHours: 24 });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 7, thresholdEvents: 0 });
    expect(await analyses(e)).toEqual(before);
    // A now resolved an hour later: 2.5 h down, 140 min engaged.
    clock.now = new Date('2024-06-01T01:00:00Z');
    await e.incidents.ingest({ records: [{ ...incidentA, resolved_at: '2024-05-31T12:30:00Z' }] });
    clock.now = new Date('2024-06-01T02:00:00Z');
    const changed = await e.costs.calculate({ windowHours: 2 }); // A and B were written in [00:00, 02:00)
    // A's three duration-based costs change; its reputation and compliance costs and B's two do not.
    expect(changed).toMatchObject({ created: 0, updated: 3, unchanged: 4 });
    const after = await analyses(e);
    expect(after.get('A|DOWNTIME')?.cost_amount).toBe('3000.00'); // 1,200.00 x 2.5
    expect(after.get('A|RESOURCE_COST')?.cost_amount).toBe('560.00'); // 80.00 x 3 x 140/60
    expect(after.get('A|COMPLIANCE_COST')?.updated_at).toEqual(before.get('A|COMPLIANCE_COST')?.updated_at);
  });

  it('leaves analyses priced by an older model alone when a new price takes effect', async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    await e.costs.calculate({ windowHours: 24 });
    const before = await analyses(e);
    clock.now = new Date('2024-06-02T00:00:00Z');
    await e.costs.createModel({
      name: 'gold retail June',
      service_tier: 'gold',
      business_unit: 'retail',
      currency: 'USD',
      effective_from: new Date('2024-06-01T00:00:00Z'), // a Date as well as ISO text
      downtime_cost_per_hour: '2400.00',
    });
    const models = await e.costs.listModels();
    expect(models.find((m) => m.name === 'gold retail 2024')?.effective_to).toEqual(
      new Date('2024-06-01T00:00:00Z'),
    );
    await e.incidents.ingest({
      records: [
        incident('E', {
          service: 'checkout',
          severity: 'LOW',
          created_at: '2024-06-01T01:00:00Z',
          resolved_at: '2024-06-01T02:00:00Z',
        }),
      ],
    });
    const result = await e.costs.calculate({ windowHours: 48 });
    expect(result).toMatchObject({ created: 1, updated: 0, unchanged: 7 });
    const after = await analyses(e);
    expect(after.get('A|DOWNTIME')).toEqual(before.get('A|DOWNTIME'));
    expect(after.get('E|DOWNTIME')?.cost_amount).toBe('2400.00');
    expect(after.has('E|LOST_REVENUE')).toBe(false);
  });

  it('keeps the computed amount beside an analyst correction, and sums the corrected one', async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    await e.costs.calculate({ windowHours: 24 });
    const downtime = (await analyses(e)).get('A|DOWNTIME');
    clock.now = new Date('2024-06-01T08:00:00Z');
    const validated = await e.costs.validate(String(downtime?.id), null, {
      validation_notes: 'outage ended at 11:25 per the status page',
      corrected_amount: '1700.00',
    });
    expect(validated).toMatchObject({
      is_validated: true,
      validated_by: null,
      validated_at: new Date('2024-06-01T08:00:00Z'),
      validation_notes: 'outage ended at 11:25 per the status page',
      cost_amount: '1700.00',
      computed_amount: '1800.00',
      corrected_amount: '1700.00',
    });
    const validatedOnly = await e.costs.list({ filters: { is_validated: 'true' } });
    expect(validatedOnly.results.map((r) => r.id)).toEqual([downtime?.id]);
    expect((await e.costs.summary()).downtime_cost).toBe('1736.67'); // 1,700.00 + 36.67
    await expect(
      e.costs.validate(String(downtime?.id), null, { corrected_amount: '-5' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect((await e.costs.get(String(downtime?.id))).corrected_amount).toBe('1700.00');
  });

  it("prices services without a tier of their own, and incidents without a service, by service '*'", async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    const half = {
      severity: 'LOW' as const,
      created_at: '2024-05-31T13:00:00Z',
      resolved_at: '2024-05-31T13:30:00Z',
    };
    await e.incidents.ingest({
      records: [
        incident('F', { service: 'search', ...half }),
        { ...incident('G', { service: 'x', ...half }), service: null },
      ],
    });
    await e.costs.calculate({ windowHours: 24 });
    expect([...(await analyses(e)).keys()].filter((k) => /^[FG]\|/.test(k))).toEqual([]);
    await e.costs.setServiceTier({ service: '*', service_tier: 'gold', business_unit: 'finance' });
    await e.costs.calculate({ windowHours: 24 });
    const byKey = await analyses(e);
    // 100.00 EUR/h x 0.5 h x 1.10 = 55.00 USD each; checkout keeps its own tier (1,800.00 above).
    expect([byKey.get('F|DOWNTIME')?.cost_amount, byKey.get('G|DOWNTIME')?.cost_amount]).toEqual([
      '55.00',
      '55.00',
    ]);
    expect(byKey.get('A|DOWNTIME')?.cost_amount).toBe('1800.00');
  });

  it('summarises with cost per downtime hour and per affected user', async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    const e = await stocked(clock);
    await e.costs.calculate({ windowHours: 24 });
    expect(await e.costs.summary()).toEqual({
      total_cost: '8906.84', // 8,870.00 (A) + 36.67 + 0.17 (B)
      currency: 'USD',
      downtime_cost: '1836.67',
      lost_revenue: '3750.00',
      penalty_cost: '0.00',
      resource_cost: '320.00',
      total_downtime_hours: '1.8333', // 1.5000 + 0.3333
      total_affected_users: 1001,
      cost_per_hour: '4858.36', // 8,906.84 / 1.8333, half-up (Python Decimal)
      cost_per_user: '8.90', // 8,906.84 / 1,001 = 8.8979
    });
    expect((await e.costs.summary({ cost_type: 'REPUTATION_COST' })).total_cost).toBe('500.17');
  });
});
