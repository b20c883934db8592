import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { end, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type AggregationType, type Engine, type MetricCreateInput, openEngine } from '../../src/index.ts';

// Every expected number below is worked by hand from the table in fixtures.ts over 2024-01-01.
// Percentiles follow quantile_cont (linear between closest ranks, h = (n − 1)·q):
// e.g. MTTA samples 10, 20, 30, 40 min → P95 h = 2.85 → 30 + 0.85·10 = 38.5.
const expected: Record<string, Record<AggregationType, number>> = {
  // Acknowledged incidents created in the window: A 10, B 20, C 30, D 40 minutes (E never acknowledged).
  MTTA: {
    AVERAGE: 25,
    MEDIAN: 25,
    MIN: 10,
    MAX: 40,
    SUM: 100,
    COUNT: 4,
    PERCENTILE_95: 38.5,
    PERCENTILE_99: 39.7,
  },
  // Resolved incidents created in the window: A 2 h, B 2 h, C 1 h (D and E are open and left out).
  MTTR: { AVERAGE: 5 / 3, MEDIAN: 2, MIN: 1, MAX: 2, SUM: 5, COUNT: 3, PERCENTILE_95: 2, PERCENTILE_99: 2 },
  // api outages merge A+B into 01:00–04:00; gaps ending in the window: 22:00 (F) → 01:00 = 3 h,
  // 04:00 → 10:00 = 6 h. db: D is open, so E joins its outage and there is no gap.
  MTBF: {
    AVERAGE: 4.5,
    MEDIAN: 4.5,
    MIN: 3,
    MAX: 6,
    SUM: 9,
    COUNT: 2,
    PERCENTILE_95: 5.85,
    PERCENTILE_99: 5.97,
  },
  // Outage starts on api: 20:00 (F) → 01:00 = 5 h, 01:00 → 10:00 = 9 h.
  MTBSI: {
    AVERAGE: 7,
    MEDIAN: 7,
    MIN: 5,
    MAX: 9,
    SUM: 14,
    COUNT: 2,
    PERCENTILE_95: 8.8,
    PERCENTILE_99: 8.96,
  },
  // api down 01:00–04:00 and 10:00–11:00 = 4 h of 24 → 83.3333%; db down from 05:00 (D open) = 19 h → 20.8333%.
  AVAILABILITY: {
    AVERAGE: (500 / 6 + 125 / 6) / 2,
    MEDIAN: (500 / 6 + 125 / 6) / 2,
    MIN: 125 / 6,
    MAX: 500 / 6,
    SUM: 625 / 6,
    COUNT: 2,
    PERCENTILE_95: 125 / 6 + 0.95 * 62.5,
    PERCENTILE_99: 125 / 6 + 0.99 * 62.5,
  },
  // 24 hourly buckets: five hold one incident (01, 02, 05, 10, 20), nineteen hold none.
  INCIDENT_COUNT: {
    AVERAGE: 5 / 24,
    MEDIAN: 0,
    MIN: 0,
    MAX: 1,
    SUM: 5,
    COUNT: 24,
    PERCENTILE_95: 1,
    PERCENTILE_99: 1,
  },
  // Resolved: A, B, C of 5 → 60%. Non-empty buckets' rates: 100, 100, 0, 100, 0.
  RESOLUTION_RATE: {
    AVERAGE: 60,
    MEDIAN: 100,
    MIN: 0,
    MAX: 100,
    SUM: 300,
    COUNT: 5,
    PERCENTILE_95: 100,
    PERCENTILE_99: 100,
  },
  // Escalated: B and D of 5 → 40%. Bucket rates: 0, 100, 100, 0, 0.
  ESCALATION_RATE: {
    AVERAGE: 40,
    MEDIAN: 0,
    MIN: 0,
    MAX: 100,
    SUM: 200,
    COUNT: 5,
    PERCENTILE_95: 100,
    PERCENTILE_99: 100,
  },
};

let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2024-01-02T00:30:00Z') });
  await loadHandIncidents(engine);
});
afterAll(() => engine.close());

async function measure(input: Partial<MetricCreateInput> & Pick<MetricCreateInput, 'metric_type'>) {
  const metric = await engine.kpis.create({ name: `m-${crypto.randomUUID()}`, ...input });
  const { measurement } = await engine.kpis.calculate(metric.id, { end });
  return measurement;
}

describe('every metric type with every aggregation, worked by hand', () => {
  for (const [type, byAggregation] of Object.entries(expected)) {
    for (const [aggregation, value] of Object.entries(byAggregation)) {
      it(`${type} ${aggregation} = ${value.toFixed(4)}`, async () => {
        const m = await measure({
          metric_type: type as MetricCreateInput['metric_type'],
          aggregation_type: aggregation as AggregationType,
        });
        expect(Number(m.value)).toBeCloseTo(value, 3);
      });
    }
  }

  it('reports units and counts: MTTR leaves the two open incidents out', async () => {
    const m = await measure({ metric_type: 'MTTR' });
    expect(m.unit).toBe('hours');
    expect(m.incident_count).toBe(5);
    expect(m.sample_count).toBe(3);
    expect(m.details['excluded_incidents']).toBe(2);
    expect(m.period_start.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(m.period_end.toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });

  it('defaults the period to the window ending at the current hour', async () => {
    // The clock says 2024-01-02T00:30Z → end rounded down to 00:00Z → the same 2024-01-01 window.
    const metric = await engine.kpis.create({ name: 'default period', metric_type: 'MTTA' });
    const { measurement } = await engine.kpis.calculate(metric.id);
    expect(measurement.period_end.toISOString()).toBe(end.toISOString());
    expect(measurement.value).toBe('25');
  });
});

describe('filters', () => {
  // MTTA over the filtered incidents created in the window (A 10, B 20, C 30, D 40 min; E unacknowledged).
  const cases: [string, Partial<MetricCreateInput>, number, number][] = [
    ['categories', { incident_categories: ['Infrastructure'] }, 20, 3], // A, C (+E)
    ['severities', { incident_severities: ['HIGH', 'CRITICAL'] }, 15, 3], // A, B (+E)
    ['priorities', { incident_priorities: ['P1'] }, 15, 2], // A, B
    ['services', { services: ['db'] }, 40, 2], // D (+E)
    ['teams', { teams: ['dev'] }, 30, 2], // B, D
    ['two filters at once', { incident_categories: ['Application'], teams: ['dev'] }, 30, 2], // B, D
  ];
  for (const [name, filter, value, incidents] of cases) {
    it(`MTTA by ${name} = ${value} over ${incidents} incidents`, async () => {
      const m = await measure({ metric_type: 'MTTA', ...filter });
      expect(Number(m.value)).toBe(value);
      expect(m.incident_count).toBe(incidents);
    });
  }

  it('filters availability to the listed services, counting a listed service without incidents as 100%', async () => {
    const m = await measure({
      metric_type: 'AVAILABILITY',
      services: ['api', 'web'],
      aggregation_type: 'MIN',
    });
    expect(Number(m.value)).toBeCloseTo(500 / 6, 3); // api 83.33%, web 100%
    const max = await measure({
      metric_type: 'AVAILABILITY',
      services: ['api', 'web'],
      aggregation_type: 'MAX',
    });
    expect(Number(max.value)).toBe(100);
  });
});

describe('window edges', () => {
  it('counts an incident created exactly at the start and leaves out one created exactly at the end', async () => {
    const edge = await openEngine({ path: ':memory:' });
    try {
      await edge.incidents.ingest({
        records: [
          {
            external_id: 'start',
            title: 's',
            severity: 'LOW',
            service: 'x',
            created_at: '2024-01-01T00:00:00Z',
          },
          {
            external_id: 'inside',
            title: 'i',
            severity: 'LOW',
            service: 'x',
            created_at: '2024-01-01T23:59:59Z',
          },
          {
            external_id: 'end',
            title: 'e',
            severity: 'LOW',
            service: 'x',
            created_at: '2024-01-02T00:00:00Z',
          },
        ],
      });
      const metric = await edge.kpis.create({
        name: 'count',
        metric_type: 'INCIDENT_COUNT',
        aggregation_type: 'SUM',
      });
      const { measurement } = await edge.kpis.calculate(metric.id, { end });
      expect(measurement.value).toBe('2');
      const hour = await edge.kpis.calculate(metric.id, { end, windowHours: 1 });
      expect(hour.measurement.value).toBe('1'); // only 23:59:59 is in [23:00, 24:00)
    } finally {
      await edge.close();
    }
  });
});

describe('maintenance windows', () => {
  it('leave planned downtime out of availability, per service and for every service', async () => {
    const own = await openEngine({ path: ':memory:' });
    try {
      await loadHandIncidents(own);
      await own.kpis.maintenanceWindows.create({
        service: 'db',
        start_at: '2024-01-01T04:00:00Z',
        end_at: '2024-01-01T06:00:00Z',
      });
      await own.kpis.maintenanceWindows.create({
        service: null,
        start_at: '2024-01-01T23:00:00Z',
        end_at: '2024-01-02T01:00:00Z',
      });
      const metric = await own.kpis.create({
        name: 'a',
        metric_type: 'AVAILABILITY',
        aggregation_type: 'MIN',
      });
      const { measurement } = await own.kpis.calculate(metric.id, { end });
      // db: maintenance 04–06 and 23–24 = 3 h → agreed 21 h; down 05–24 = 19 h minus 1 h (05–06) and
      // 1 h (23–24) inside maintenance = 17 h → (21 − 17) / 21 = 19.0476%.
      expect(Number(measurement.value)).toBeCloseTo((4 / 21) * 100, 3);
      const max = await own.kpis.create({ name: 'b', metric_type: 'AVAILABILITY', aggregation_type: 'MAX' });
      // api: maintenance 23–24 → agreed 23 h, down 4 h → 19 / 23 = 82.6087%.
      expect(Number((await own.kpis.calculate(max.id, { end })).measurement.value)).toBeCloseTo(
        (19 / 23) * 100,
        3,
      );
    } finally {
      await own.close();
    }
  });

  it('refuses a window that ends before it starts and lists the valid ones', async () => {
    await expect(
      engine.kpis.maintenanceWindows.create({
        service: 'x',
        start_at: '2024-01-02T00:00:00Z',
        end_at: '2024-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    const w = await engine.kpis.maintenanceWindows.create({
      service: 'x',
      start_at: '2024-02-01T00:00:00Z',
      end_at: '2024-02-01T02:00:00Z',
    });
    const page = await engine.kpis.maintenanceWindows.list({ filters: { service: 'x' } });
    expect(page.results.map((r) => r.id)).toEqual([w.id]);
    await engine.kpis.maintenanceWindows.delete(w.id);
    await expect(engine.kpis.maintenanceWindows.get(w.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('overlapping incidents', () => {
  it('merge into one outage for MTBF, MTBSI and availability', async () => {
    const own = await openEngine({ path: ':memory:' });
    try {
      // Three incidents on one service: 01–05, 02–03 (inside the first), 04–06 (overlapping it),
      // then 10–11. Merged outages 01–06 and 10–11: down 6 h of 24, one gap 06 → 10 = 4 h,
      // outage starts 01 → 10 = 9 h. Without merging, MTBF would see negative gaps.
      const rec = (id: string, from: string, to: string) => ({
        external_id: id,
        title: id,
        severity: 'LOW' as const,
        service: 's',
        created_at: `2024-01-01T${from}:00:00Z`,
        resolved_at: `2024-01-01T${to}:00:00Z`,
      });
      await own.incidents.ingest({
        records: [rec('a', '01', '05'), rec('b', '02', '03'), rec('c', '04', '06'), rec('d', '10', '11')],
      });
      const value = async (metric_type: MetricCreateInput['metric_type']) => {
        const m = await own.kpis.create({ name: metric_type, metric_type });
        return Number((await own.kpis.calculate(m.id, { end })).measurement.value);
      };
      expect(await value('MTBF')).toBe(4);
      expect(await value('MTBSI')).toBe(9);
      expect(await value('AVAILABILITY')).toBe(75);
    } finally {
      await own.close();
    }
  });
});
