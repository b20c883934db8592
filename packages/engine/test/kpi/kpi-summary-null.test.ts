import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';

// The hand-worked incidents of fixtures.ts: the current window is 2024-01-01 (A–E), the previous
// one 2023-12-31 (F only).
let engine: Engine;
let clock: Date;

beforeEach(async () => {
  clock = new Date('2024-01-02T00:00:00Z');
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await loadHandIncidents(engine);
});
afterEach(() => engine.close());

async function line(name: string) {
  const item = (await engine.kpis.summary()).find((s) => s.metric_name === name);
  if (!item) throw new Error(`no summary line ${name}`);
  return item;
}

const unknown = { current_value: null, trend: null, trend_percentage: null, target_met: null };

describe('a summary line without a value', () => {
  it('has no trend and no verdict when a formula divides by zero', async () => {
    // count(*) − count(*) = 0 in both windows, so 5 / 0 now and 1 / 0 before: no value at all.
    const formula = 'count(*) / (count(*) - count(*))';
    await engine.kpis.create({ name: 'div0', metric_type: 'CUSTOM', calculation_formula: formula });
    await engine.kpis.create({
      name: 'div0 with target',
      metric_type: 'CUSTOM',
      calculation_formula: formula,
      target_value: 1,
    });
    expect(await line('div0')).toMatchObject(unknown);
    expect(await line('div0 with target')).toMatchObject({ ...unknown, target_value: '1' });
  });

  it('has no trend when the previous window had no data, but still judges the current value', async () => {
    // Team dev: B (20 min) and D (40 min) on 2024-01-01 → 30 min; nothing of dev on 2023-12-31.
    await engine.kpis.create({ name: 'dev mtta', metric_type: 'MTTA', teams: ['dev'], target_value: 60 });
    expect(await line('dev mtta')).toMatchObject({
      current_value: '30',
      trend: null,
      trend_percentage: null,
      target_met: true,
    });
  });

  it('has no trend and no verdict for availability inside a maintenance window', async () => {
    // The whole of 2024-01-01 is planned downtime for every service: no agreed time to measure.
    await engine.kpis.maintenanceWindows.create({
      service: null,
      start_at: new Date('2024-01-01T00:00:00Z'),
      end_at: new Date('2024-01-02T00:00:00Z'),
      description: 'all day',
    });
    await engine.kpis.create({ name: 'avail>=99', metric_type: 'AVAILABILITY', target_value: 99 });
    expect(await line('Service Availability')).toMatchObject(unknown);
    expect(await line('avail>=99')).toMatchObject({ ...unknown, target_value: '99' });
  });

  it('is stored by calculate() with target_met null and raises no threshold event', async () => {
    const metric = await engine.kpis.create({
      name: 'div0',
      metric_type: 'CUSTOM',
      calculation_formula: 'count(*) / (count(*) - count(*))',
      target_value: 1,
    });
    const { measurement } = await engine.kpis.calculate(metric.id);
    expect(measurement.value).toBeNull();
    expect(measurement.details['target_met']).toBeNull();
    expect(measurement.details['threshold_breached']).toBe(false);
    expect(await engine.events.after(0, { types: ['KPI_THRESHOLD_BREACHED'] })).toEqual([]);
  });
});

describe('the summary window', () => {
  it('ends at the last complete hour, never in the future, and says so', async () => {
    clock = new Date('2024-01-02T00:40:00Z');
    const summary = await engine.kpis.summary();
    expect(summary).toHaveLength(8);
    for (const item of summary) {
      expect(item.period_end.toISOString()).toBe('2024-01-02T00:00:00.000Z');
      expect(item.period_end.getTime()).toBeLessThanOrEqual(clock.getTime());
      expect(item.period_start.toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(item.period_end_basis).toBe('last_complete_hour');
    }
    // The same window as at 00:00, so the same hand-worked values (see kpi-summary.test.ts).
    expect(summary.find((s) => s.metric_type === 'MTTA')).toMatchObject({ current_value: '25', trend: 'up' });
  });

  it('agrees with calculate(), whose default period also ends at the last complete hour', async () => {
    clock = new Date('2024-01-02T00:59:59Z');
    const mtta = (await engine.kpis.list({ filters: { metric_type: 'MTTA' } })).results[0]!;
    const { measurement } = await engine.kpis.calculate(mtta.id);
    const item = (await engine.kpis.summary()).find((s) => s.metric_type === 'MTTA')!;
    expect(item.period_end).toEqual(measurement.period_end);
    expect(item.current_value).toBe(measurement.value);
  });
});
