import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { readMetric } from '../../src/kpi/metric-store.ts';
import { incidentsVersion, refreshRollups, rollupKey } from '../../src/kpi/rollups.ts';

let engine: Engine;
let clock: Date;

beforeEach(async () => {
  // Summary windows end at the last complete hour: 2024-01-02T00:00Z, so the current window is
  // 2024-01-01 (incidents A–E) and the previous one 2023-12-31 (incident F); see fixtures.ts.
  clock = new Date('2024-01-02T00:00:00Z');
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await loadHandIncidents(engine);
});
afterEach(() => engine.close());

async function line(name: string) {
  const summary = await engine.kpis.summary();
  const item = summary.find((s) => s.metric_name === name);
  if (!item) throw new Error(`no summary line ${name}`);
  return item;
}

describe('the KPI summary', () => {
  it('has exactly the spec fields for every active metric', async () => {
    const summary = await engine.kpis.summary();
    expect(summary).toHaveLength(8);
    for (const item of summary) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'metric_type',
          'metric_name',
          'current_value',
          'unit',
          'trend',
          'trend_percentage',
          'period_start',
          'period_end',
          'period_end_basis',
          'incident_count',
          'target_value',
          'target_met',
        ].sort(),
      );
      expect(item.period_start.toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(item.period_end.toISOString()).toBe('2024-01-02T00:00:00.000Z');
    }
  });

  it('shows a rising trend: MTTA 5 min → 25 min is up 400%', async () => {
    expect(await line('Mean Time to Acknowledge')).toMatchObject({
      current_value: '25',
      unit: 'minutes',
      trend: 'up',
      trend_percentage: '400',
      incident_count: 5,
      target_value: null,
      target_met: true,
    });
  });

  it('shows a falling trend: resolution rate 100% → 60% is down 40%', async () => {
    expect(await line('Resolution Rate')).toMatchObject({
      current_value: '60',
      trend: 'down',
      trend_percentage: '-40',
    });
  });

  it('shows a stable trend when the change is under 1%', async () => {
    // Both windows: (count × 0) + 7 = 7.
    await engine.kpis.create({
      name: 'seven',
      metric_type: 'CUSTOM',
      calculation_formula: 'count(*) * 0 + 7',
    });
    expect(await line('seven')).toMatchObject({ current_value: '7', trend: 'stable', trend_percentage: '0' });
  });

  it('judges targets by direction: lower is better for MTTA, higher for the resolution rate', async () => {
    await engine.kpis.create({ name: 'mtta<=30', metric_type: 'MTTA', target_value: 30 });
    await engine.kpis.create({ name: 'mtta<=20', metric_type: 'MTTA', target_value: 20 });
    await engine.kpis.create({ name: 'rr>=50', metric_type: 'RESOLUTION_RATE', target_value: 50 });
    await engine.kpis.create({ name: 'rr>=70', metric_type: 'RESOLUTION_RATE', target_value: 70 });
    const summary = await engine.kpis.summary();
    const met = Object.fromEntries(summary.map((s) => [s.metric_name, s.target_met]));
    expect(met).toMatchObject({ 'mtta<=30': true, 'mtta<=20': false, 'rr>=50': true, 'rr>=70': false });
    expect(summary.find((s) => s.metric_name === 'mtta<=20')?.target_value).toBe('20');
  });

  it('leaves inactive metrics out', async () => {
    const m = await engine.kpis.create({ name: 'off', metric_type: 'MTTA', is_active: false });
    expect((await engine.kpis.summary()).map((s) => s.metric_name)).not.toContain(m.name);
  });
});

describe('incremental rollups', () => {
  it('rebuild only when incidents change, and then only the hours touched', async () => {
    const [system] = (await engine.kpis.list({ filters: { metric_type: 'MTTR', is_system_metric: true } }))
      .results;
    const metric = await readMetric(internalContext(engine).db, system!.id);
    const db = internalContext(engine).db;
    expect(await refreshRollups(db, metric, null, await incidentsVersion(db), clock)).toBe('rebuilt');
    expect(await refreshRollups(db, metric, null, await incidentsVersion(db), clock)).toBe('fresh');
    clock = new Date('2024-01-02T00:00:01Z');
    await engine.incidents.ingest({
      records: [
        {
          external_id: 'new',
          title: 'new',
          severity: 'LOW',
          service: 'api',
          created_at: '2024-01-01T12:00:00Z',
          resolved_at: '2024-01-01T19:00:00Z',
        },
      ],
    });
    expect(await refreshRollups(db, metric, null, await incidentsVersion(db), clock)).toBe('incremental');
    const hours = await db.all(
      'SELECT DISTINCT bucket FROM kpi_rollups WHERE metric_id = $id::UUID ORDER BY 1',
      {
        id: rollupKey(metric),
      },
    );
    // One bucket per creation hour of F, A, B, C, D, E, G and the new incident.
    expect(hours).toHaveLength(8);
  });

  it('reflect new incidents in the next summary', async () => {
    expect((await line('Mean Time to Resolve')).current_value).toBe('1.6667');
    clock = new Date('2024-01-02T00:00:01Z');
    await engine.incidents.ingest({
      records: [
        {
          external_id: 'new',
          title: 'new',
          severity: 'LOW',
          service: 'api',
          created_at: '2024-01-01T12:00:00Z',
          resolved_at: '2024-01-01T19:00:00Z',
        },
      ],
    });
    // Resolved durations 2, 2, 1 and now 7 hours → mean 3 h (the window still ends at 01-02 00:00,
    // the last complete hour).
    expect((await line('Mean Time to Resolve')).current_value).toBe('3');
  });

  it('give percentiles within 1% rank error of the exact batch value', async () => {
    // 3,000 incidents over 2024-01-01 with resolution times spread from 1 minute to about 3 days
    // (a deterministic pseudo-random sequence), measured by the summary and by exact batch.
    const records: IncidentInput[] = [];
    const durations: number[] = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 3000; i++) {
      const created = Date.UTC(2024, 0, 1) + Math.floor(next() * 86_400_000);
      const seconds = Math.round(60 * Math.exp(next() * 8.4));
      durations.push(seconds / 3600);
      records.push({
        external_id: `r${i}`,
        title: 'r',
        severity: 'LOW',
        service: 'svc',
        created_at: new Date(created),
        resolved_at: new Date(created + seconds * 1000),
      });
    }
    const own = await openEngine({ path: ':memory:', now: () => new Date('2024-01-02T00:00:00Z') });
    try {
      await own.incidents.ingest({ records });
      durations.sort((a, b) => a - b);
      for (const [aggregation, q] of [
        ['MEDIAN', 0.5],
        ['PERCENTILE_95', 0.95],
        ['PERCENTILE_99', 0.99],
      ] as const) {
        const m = await own.kpis.create({
          name: aggregation,
          metric_type: 'MTTR',
          aggregation_type: aggregation,
        });
        const exact = Number(
          (await own.kpis.calculate(m.id, { end: new Date('2024-01-02T00:00:00Z') })).measurement.value,
        );
        const summary = (await own.kpis.summary()).find((s) => s.metric_name === aggregation);
        const estimate = Number(summary?.current_value);
        const rank = durations.filter((d) => d <= estimate + 1e-9).length / durations.length;
        expect(Math.abs(rank - q)).toBeLessThanOrEqual(0.01);
        expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.01);
      }
    } finally {
      await own.close();
    }
  });
});
