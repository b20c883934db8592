import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents } from '../../../../../test/support/anomaly-fixtures.ts';
import type { AnomalyToExplain } from '../../../src/anomaly/explain/explain-types.ts';
import { assessImpacts } from '../../../src/anomaly/explain/impact.ts';
import { atLeast } from '../../../src/anomaly/run/anomaly-wording.ts';
import { type Engine, openEngine } from '../../../src/index.ts';
import { internalContext } from '../../../src/internal.ts';

const at = (iso: string) => new Date(`2026-03-${iso}Z`);
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
const range = { from: at('01T00:00:00'), start: at('09T00:00:00'), to: at('10T00:00:00') };

let engine: Engine;
let related: string[] = [];
let searchOpen: string[] = [];

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => range.to, workers: { threads: 1 } });
  const db = internalContext(engine).db;
  // Baseline (created from 03-01 to the window's start): payments acknowledged after 5 min and
  // resolved after 60 min, search after 15 and 30 min; another service (out of scope), and one
  // payments incident before the history (out of range). X1: a 60 s payments outage at 02:00 on
  // 03-09, not related, never acknowledged.
  await insertIncidents(db, [
    {
      service: 'payments',
      created_at: at('05T10:00:00'),
      acknowledged_at: at('05T10:05:00'),
      resolved_at: at('05T11:00:00'),
    },
    {
      service: 'search',
      created_at: at('06T10:00:00'),
      acknowledged_at: at('06T10:15:00'),
      resolved_at: at('06T10:30:00'),
    },
    {
      service: 'other',
      created_at: at('06T10:00:00'),
      acknowledged_at: at('06T11:40:00'),
      resolved_at: at('06T12:00:00'),
    },
    {
      service: 'payments',
      created_at: new Date('2026-02-20T10:00:00Z'),
      acknowledged_at: new Date('2026-02-20T12:00:00Z'),
      resolved_at: new Date('2026-02-20T15:00:00Z'),
    },
    {
      service: 'payments',
      severity: 'CRITICAL',
      created_at: at('09T02:00:00'),
      resolved_at: at('09T02:01:00'),
    },
  ]);
  // The anomaly's incidents: two overlapping CRITICAL payments outages (10:00-12:00, 11:00-13:00)
  // and one search incident (10:30-11:30).
  const p1 = at('09T10:00:00');
  const p2 = at('09T11:00:00');
  const s1 = at('09T10:30:00');
  related = await insertIncidents(db, [
    {
      service: 'payments',
      severity: 'CRITICAL',
      created_at: p1,
      acknowledged_at: minutes(p1, 10),
      resolved_at: minutes(p1, 120),
      affected_users: 1000,
    },
    {
      service: 'payments',
      severity: 'CRITICAL',
      created_at: p2,
      acknowledged_at: minutes(p2, 30),
      resolved_at: minutes(p2, 120),
      affected_users: 500,
    },
    {
      service: 'search',
      severity: 'HIGH',
      created_at: s1,
      acknowledged_at: minutes(s1, 20),
      resolved_at: minutes(s1, 60),
      affected_users: 200,
    },
  ]);
  // A second anomaly: one search incident at 20:15, still open at the end of the range.
  searchOpen = await insertIncidents(db, [
    { service: 'search', severity: 'LOW', created_at: at('09T20:15:00'), affected_users: 10 },
  ]);
  await engine.costs.updateSettings({
    reporting_currency: 'USD',
    exchange_rates: {},
    incident_cost_threshold: '5000.00',
  });
  await engine.costs.setServiceTier({ service: 'payments', service_tier: 'gold', business_unit: 'retail' });
  await engine.costs.createModel({
    name: 'gold retail',
    service_tier: 'gold',
    business_unit: 'retail',
    currency: 'USD',
    effective_from: '2024-01-01T00:00:00Z',
    downtime_cost_per_hour: '1200.00',
    reputation_cost_per_user: '0.50',
  });
  await engine.costs.createContract({
    name: 'payments gold',
    service: 'payments',
    period: 'DAY',
    availability_target: 99.9,
    penalty_tiers: [{ below: 99.9, amount: '1000.00' }],
    currency: 'USD',
    effective_from: '2024-01-01T00:00:00Z',
  });
  await engine.costs.calculate({ windowHours: 24 * 30, end: range.to });
});
afterAll(async () => {
  await engine.close();
});

function anomaly(
  fields: Partial<AnomalyToExplain> & Pick<AnomalyToExplain, 'windowStart' | 'windowEnd'>,
): AnomalyToExplain {
  return {
    index: 0,
    anomalyType: 'STATISTICAL',
    seriesKey: 'incident_count:hour:service=payments',
    memberSeries: [],
    relatedIncidents: [],
    affectedServices: [],
    affectedMetrics: ['INCIDENT_COUNT'],
    metadata: {},
    ...fields,
  };
}

describe('the impact of anomalies', () => {
  it('counts users, downtime, cost, SLA and delays by hand, for all anomalies at once and in order', async () => {
    const impacts = await assessImpacts(
      internalContext(engine),
      [
        anomaly({
          windowStart: at('09T10:00:00').getTime(),
          windowEnd: at('09T12:00:00').getTime(),
          relatedIncidents: related,
          affectedServices: ['payments', 'search'],
        }),
        anomaly({
          index: 1,
          windowStart: at('09T20:00:00').getTime(),
          windowEnd: at('09T21:00:00').getTime(),
          relatedIncidents: searchOpen,
          affectedServices: ['search'],
        }),
        anomaly({
          index: 2,
          windowStart: at('09T22:00:00').getTime(),
          windowEnd: at('09T23:00:00').getTime(),
        }),
        anomaly({
          index: 3,
          windowStart: at('09T10:00:00').getTime(),
          windowEnd: at('09T21:00:00').getTime(),
          relatedIncidents: [...related, ...searchOpen],
          affectedServices: ['payments', 'search'],
        }),
      ],
      range,
    );
    expect(impacts).toHaveLength(4);
    const [storm, open, empty, censored] = impacts;
    // 3 of its 4 incidents resolved (75% < 95%): the mean of the resolved ones would be the quick
    // ones' mean, so the window's MTTA and MTTR are not given.
    expect(censored?.evidence).toMatchObject({
      mtta_minutes: { window: null, window_incidents: 3 },
      mttr_hours: { window: null, window_incidents: 3 },
    });
    expect(censored?.text).not.toContain('MTT');
    // Users 1,000 + 500 + 200. Downtime: payments 10:00-12:00 ∪ 11:00-13:00 = 3 h (the overlap
    // counts once), search 10:30-11:30 = 1 h.
    expect(storm?.evidence).toMatchObject({
      incidents: 3,
      affected_users: 1700,
      downtime_hours: 4,
      downtime_by_service: [
        { service: 'payments', hours: 3, periods: 1 },
        { service: 'search', hours: 1, periods: 1 },
      ],
    });
    // Cost (payments only has a model): DOWNTIME 2 h × 1,200.00 twice = 4,800.00; REPUTATION
    // 1,000 × 0.50 + 500 × 0.50 = 750.00; PENALTY 1,000.00 for the day, attached to the first
    // payments outage of the anomaly (the 60 s at 02:00 left 86.4 s of budget, spent at 10:01:26).
    expect(storm?.evidence['cost']).toEqual([
      {
        currency: 'USD',
        total: '6550.00',
        by_type: { DOWNTIME: '4800.00', PENALTY: '1000.00', REPUTATION_COST: '750.00' },
        analyses: 5,
      },
    ]);
    // The day's CRITICAL payments outages: 60 s + 3 h = 10,860 s of 86,400 → 87.430556%; without
    // the anomaly's incidents 60 s → 99.930556%. Budget 0.1% × 86,400 = 86.4 s; used 10,860 / 86.4.
    expect(storm?.evidence['sla']).toEqual([
      {
        contract_id: expect.any(String),
        name: 'payments gold',
        service: 'payments',
        period: 'DAY',
        period_start: '2026-03-09T00:00:00.000Z',
        period_end: '2026-03-10T00:00:00.000Z',
        availability_target: 99.9,
        availability: 87.4306,
        availability_without: 99.9306,
        budget_used: 125.6944,
        status: 'BREACHED',
      },
    ]);
    // MTTA (10 + 30 + 20) / 3 = 20 min against (5 + 15) / 2 = 10 min; MTTR (2 + 2 + 1) / 3 =
    // 1.67 h against (3,600 + 1,800 + 60) s / 3 = 0.51 h (X1 is resolved, never acknowledged).
    expect(storm?.evidence['mtta_minutes']).toEqual({
      window: 20,
      window_incidents: 3,
      baseline: 10,
      baseline_incidents: 2,
    });
    expect(storm?.evidence['mttr_hours']).toEqual({
      window: 1.67,
      window_incidents: 3,
      baseline: 0.51,
      baseline_incidents: 3,
    });
    expect(storm?.text).toBe(
      '3 incidents, 1,700 users affected, 4.0 h of downtime (payments 3.0 h, search 1.0 h); ' +
        'USD 6,550.00 (DOWNTIME 4,800.00, PENALTY 1,000.00, REPUTATION_COST 750.00); ' +
        'pushes the payments gold SLA to 87.43% against 99.9%; MTTA 20 min against 10 min usual, ' +
        'MTTR 1.7 h against 0.5 h usual.',
    );
    // A breached SLA makes it at least HIGH; the users and the cost would make it MEDIUM.
    expect(storm?.severityFloor).toBe('HIGH');
    expect(storm?.evidence['severity_floor_reasons']).toEqual([
      'SLA payments gold breached',
      '1700 affected users',
      'cost USD 6550.00 at or above the threshold',
    ]);
    // The open search incident counts from 20:15 to the end of the range: 3.75 h; no cost, no SLA,
    // no acknowledgement yet (so no MTTA in words), baseline search MTTA (15 + 20) / 2 = 17.5 min.
    expect(open?.evidence).toMatchObject({
      incidents: 1,
      affected_users: 10,
      downtime_hours: 3.75,
      cost: [],
      sla: [],
      mtta_minutes: { window: null, window_incidents: 0, baseline: 17.5, baseline_incidents: 2 },
    });
    expect(open?.text).toBe('1 incident, 10 users affected, 3.8 h of downtime on search.');
    expect(open?.severityFloor).toBeNull();
    expect(empty?.evidence).toMatchObject({ incidents: 0, affected_users: 0, downtime_hours: 0 });
  });

  it('counts the baseline up to a window start inside an hour, not to the hour around it', async () => {
    // Search incidents before the window: 03-06 10:00 (acknowledged after 15 min) and S1 at 03-09
    // 10:30 (after 20 min). A window from 10:40 has both in its baseline: (15 + 20) / 2 = 17.5 min;
    // one from 10:20 has only the first (S1 is in the same hour, but after the start): 15 min.
    const [after, before] = await assessImpacts(
      internalContext(engine),
      [10 * 60 + 40, 10 * 60 + 20].map((m, index) =>
        anomaly({
          index,
          windowStart: minutes(at('09T00:00:00'), m).getTime(),
          windowEnd: at('09T12:00:00').getTime(),
          affectedServices: ['search'],
        }),
      ),
      range,
    );
    expect(after?.evidence['mtta_minutes']).toMatchObject({ baseline: 17.5, baseline_incidents: 2 });
    expect(before?.evidence['mtta_minutes']).toMatchObject({ baseline: 15, baseline_incidents: 1 });
  });

  it('lists an SLA only when the anomaly lowers it, and a period NEAR its target raises to MEDIUM', async () => {
    // The 60 s outage X1 alone: it spends 60 / 86.4 = 69% of the budget, below the 80% of NEAR.
    const x1 = await internalContext(engine).db.one(
      "SELECT id::VARCHAR AS id FROM incidents WHERE created_at = '2026-03-09 02:00:00'",
    );
    const [alone] = await assessImpacts(
      internalContext(engine),
      [
        anomaly({
          windowStart: at('09T02:00:00').getTime(),
          windowEnd: at('09T03:00:00').getTime(),
          relatedIncidents: [String(x1?.['id'])],
          affectedServices: ['payments'],
        }),
      ],
      { ...range, to: at('09T09:00:00') },
    );
    expect(alone?.evidence['sla']).toEqual([]);
    expect(alone?.severityFloor).toBeNull();
    // A 99.93% contract has a budget of 0.07% × 86,400 = 60.48 s: X1 spends 60 / 60.48 = 99.2% of
    // it, availability (86,400 − 60) / 86,400 = 99.930556%, at the target: NEAR, at least MEDIUM.
    await engine.costs.createContract({
      name: 'payments platinum',
      service: 'payments',
      period: 'DAY',
      availability_target: 99.93,
      penalty_tiers: [{ below: 99.93, amount: '2000.00' }],
      currency: 'USD',
      effective_from: '2024-01-01T00:00:00Z',
    });
    const [near] = await assessImpacts(
      internalContext(engine),
      [
        anomaly({
          windowStart: at('09T02:00:00').getTime(),
          windowEnd: at('09T03:00:00').getTime(),
          relatedIncidents: [String(x1?.['id'])],
          affectedServices: ['payments'],
        }),
      ],
      { ...range, to: at('09T09:00:00') },
    );
    expect(near?.evidence['sla']).toEqual([
      expect.objectContaining({
        name: 'payments platinum',
        availability: 99.9306,
        availability_without: 100,
        budget_used: 0.9921,
        status: 'NEAR',
      }),
    ]);
    expect(near?.severityFloor).toBe('MEDIUM');
    expect(near?.text).toContain(
      'brings the payments platinum SLA to 99.93% against 99.93%, 99% of its downtime budget spent',
    );
  });

  it('takes the higher of the score severity and the floor', () => {
    expect(atLeast('LOW', 'HIGH')).toBe('HIGH');
    expect(atLeast('CRITICAL', 'MEDIUM')).toBe('CRITICAL');
    expect(atLeast('MEDIUM', null)).toBe('MEDIUM');
  });
});
