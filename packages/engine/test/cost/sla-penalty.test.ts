import { afterEach, describe, expect, it } from 'vitest';
import { periodOf, periodsOverlapping, tierFor } from '../../src/cost/penalties.ts';
import type { Engine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { configure, incident, openCostEngine } from './cost-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const tiers = [
  { below: 99.5, amount: '1000.00' },
  { below: 99, amount: '5000.00' },
];

/**
 * checkout promises 99.5% a calendar day: 0.5% of 86,400 s is a budget of 432 s of outage
 * (CRITICAL incidents, as the AVAILABILITY KPI counts them).
 */
async function contracted(clock: { now: Date }): Promise<Engine> {
  engine = await openCostEngine(clock);
  await configure(engine);
  await engine.costs.createContract({
    name: 'checkout daily SLA',
    service: 'checkout',
    period: 'DAY',
    availability_target: 99.5,
    penalty_tiers: tiers,
    currency: 'USD',
    effective_from: '2024-01-01T00:00:00Z',
  });
  return engine;
}

describe('SLA penalties', () => {
  it('appear exactly when the period availability falls below the target', async () => {
    const clock = { now: new Date('2024-05-21T00:00:00Z') };
    const e = await contracted(clock);
    // 432 s down: availability (86,400 − 432) / 86,400 = 99.5% exactly, the target: no penalty.
    await e.incidents.ingest({
      records: [
        incident('C', {
          service: 'checkout',
          severity: 'CRITICAL',
          created_at: '2024-05-20T08:00:00Z',
          resolved_at: '2024-05-20T08:07:12Z',
        }),
      ],
    });
    await e.costs.calculate({ windowHours: 24 });
    expect((await e.costs.list({ filters: { cost_type: 'PENALTY' } })).count).toBe(0);
    // One more second: (86,400 − 433) / 86,400 = 99.49884%, under 99.5 but not under 99: 1,000.00.
    clock.now = new Date('2024-05-21T00:10:00Z');
    await e.incidents.ingest({
      records: [
        incident('D', {
          service: 'checkout',
          severity: 'CRITICAL',
          created_at: '2024-05-20T09:00:00Z',
          resolved_at: '2024-05-20T09:00:01Z',
        }),
      ],
    });
    clock.now = new Date('2024-05-21T00:20:00Z');
    await e.costs.calculate({ windowHours: 24 });
    const penalties = await e.costs.list({ filters: { cost_type: 'PENALTY' } });
    expect(penalties.count).toBe(1);
    const [penalty] = penalties.results;
    const d = await internalContext(e).db.one(
      "SELECT id::VARCHAR AS id FROM incidents WHERE external_id = 'D'",
    );
    expect(penalty).toMatchObject({ cost_amount: '1000.00', currency: 'USD', incident: d?.['id'] });
    expect(penalty?.calculation_details).toMatchObject({
      availability: '99.498843',
      availability_target: '99.5',
      tier_below: '99.5',
      tier_amount: '1000.00',
      period_start: '2024-05-20T00:00:00.000Z',
      period_end: '2024-05-21T00:00:00.000Z',
      period_downtime_seconds: 433,
      breaching_incident: d?.['id'],
    });
    // Again: nothing changes.
    expect(await e.costs.calculate({ windowHours: 24 })).toMatchObject({ created: 0, updated: 0 });
  });

  it('takes the tier the availability is under, and none at or above the target', () => {
    expect(tierFor(tiers, 99.5)).toBeUndefined();
    expect(tierFor(tiers, 99.49)?.amount).toBe('1000.00');
    expect(tierFor(tiers, 99)?.amount).toBe('1000.00');
    expect(tierFor(tiers, 98.99)?.amount).toBe('5000.00');
  });

  it('measures calendar periods in UTC: days, weeks from Monday, months', () => {
    const at = new Date('2024-02-29T23:59:59Z'); // a Thursday
    expect(periodOf('DAY', at)).toEqual({
      start: new Date('2024-02-29T00:00:00Z'),
      end: new Date('2024-03-01T00:00:00Z'),
    });
    expect(periodOf('WEEK', at)).toEqual({
      start: new Date('2024-02-26T00:00:00Z'),
      end: new Date('2024-03-04T00:00:00Z'),
    });
    expect(periodOf('MONTH', at)).toEqual({
      start: new Date('2024-02-01T00:00:00Z'),
      end: new Date('2024-03-01T00:00:00Z'),
    });
    const contract = {
      id: 'c',
      name: 'c',
      service: 's',
      period: 'MONTH' as const,
      availability_target: 99.5,
      penalty_tiers: tiers,
      currency: 'USD',
      effective_from: new Date('2024-02-10T00:00:00Z'),
      effective_to: null,
      created_at: at,
    };
    // A window from January to mid-March meets February (the contract starts then) and March.
    expect(
      periodsOverlapping(contract, new Date('2024-01-15T00:00:00Z'), new Date('2024-03-15T00:00:00Z')).map(
        (p) => p.start.toISOString(),
      ),
    ).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  });

  it('refuses tiers whose highest threshold is not the target, naming the field', async () => {
    const e = await contracted({ now: new Date('2024-05-21T00:00:00Z') });
    await expect(
      e.costs.createContract({
        name: 'bad',
        service: 'checkout',
        period: 'MONTH',
        availability_target: 99.9,
        penalty_tiers: tiers,
        currency: 'USD',
        effective_from: '2024-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('penalty_tiers') });
    expect(await e.costs.listContracts()).toHaveLength(1);
  });
});

describe('the cost summary', () => {
  it("gives the spec's example figures: 125,000.00 over 150.5 h is 830.56 an hour", async () => {
    const clock = { now: new Date('2024-06-01T00:00:00Z') };
    engine = await openCostEngine(clock);
    const e = engine;
    await e.incidents.ingest({
      records: [
        incident('X', {
          service: 's',
          severity: 'HIGH',
          created_at: '2024-05-01T00:00:00Z',
          resolved_at: '2024-05-07T06:30:00Z',
          affected_users: 2000,
        }),
        incident('Y', {
          service: 's',
          severity: 'HIGH',
          created_at: '2024-05-10T00:00:00Z',
          resolved_at: '2024-05-10T02:00:00Z',
          affected_users: 3000,
        }),
      ],
    });
    const db = internalContext(e).db;
    const rows: [string, string, string, string | null][] = [
      ['X', 'DOWNTIME', '75000.00', '150.5'],
      ['X', 'LOST_REVENUE', '40000.00', null],
      ['Y', 'PENALTY', '10000.00', null],
    ];
    for (const [external, type, amount, hours] of rows) {
      await db.run(
        `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, currency, downtime_hours, created_at, updated_at)
         SELECT uuid(), id, $type, $amount::DECIMAL(18,2), 'USD', $hours::DECIMAL(18,4), $now, $now FROM incidents
         WHERE external_id = $external`,
        { external, type, amount, hours, now: clock.now },
      );
    }
    expect(await e.costs.summary()).toEqual({
      total_cost: '125000.00',
      currency: 'USD',
      downtime_cost: '75000.00',
      lost_revenue: '40000.00',
      penalty_cost: '10000.00',
      resource_cost: '0.00',
      total_downtime_hours: '150.5',
      total_affected_users: 5000,
      cost_per_hour: '830.56',
      cost_per_user: '25.00',
    });
  });
});
