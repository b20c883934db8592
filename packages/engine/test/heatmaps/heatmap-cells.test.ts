import { afterEach, describe, expect, it } from 'vitest';
import type { Engine, HeatmapGrid } from '../../src/index.ts';
import { addAnomalies, addCosts, fourWeeks, heatmapEngine } from './heatmap-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** The non-empty cells of a grid, `row label / column label → value`. */
function nonEmpty(grid: HeatmapGrid): Record<string, number | null> {
  const cells: Record<string, number | null> = {};
  for (const [i, row] of grid.values.entries()) {
    for (const [j, value] of row.entries()) {
      if (value !== 0) cells[`${grid.labels.rows[i]} / ${grid.labels.columns[j]}`] = value;
    }
  }
  return cells;
}

// Every expected value below is worked by hand from the table in heatmap-fixtures.ts.
describe('heatmap cells', () => {
  it('counts incidents by weekday and hour of day, zero-filled on the 7 × 24 grid', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'HOURLY', { period: fourWeeks });
    expect(grid.rows).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(grid.labels.rows).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(grid.columns).toHaveLength(24);
    expect(grid.labels.columns.slice(0, 3)).toEqual(['00:00', '01:00', '02:00']);
    expect(grid.labels.columns[23]).toBe('23:00');
    expect(grid.values.flat()).toHaveLength(7 * 24);
    // A, B and D on Mondays at 09; C on Tuesday at 14; E on Tuesday at 23; F is outside the period.
    expect(nonEmpty(grid)).toEqual({ 'Monday / 09:00': 3, 'Tuesday / 14:00': 1, 'Tuesday / 23:00': 1 });
    expect(grid.unit).toBe('incidents');
    expect(grid.notes).toEqual([]);
  });

  it('averages resolution hours of the resolved incidents; a cell without one is null, not 0', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('RESOLUTION_TIME', 'HOURLY', { period: fourWeeks });
    // Monday 09: A 2 h, B 4 h, D 1 h → 7 / 3 = 2.3333. Tuesday 14: C is open → null, 0 samples.
    // Tuesday 23: E 0.5 h.
    expect(grid.values[0]?.[9]).toBe(2.3333);
    expect(grid.sample_counts[0]?.[9]).toBe(3);
    expect(grid.values[1]?.[14]).toBeNull();
    expect(grid.sample_counts[1]?.[14]).toBe(0);
    expect(grid.values[1]?.[23]).toBe(0.5);
    expect(grid.values.flat().filter((v) => v !== null)).toHaveLength(2);
    expect(grid.unit).toBe('hours');
  });

  it('lays services by day over every day of the period, none as its own row', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'DAILY', { period: fourWeeks });
    expect(grid.rows).toEqual(['api', 'db', '']);
    expect(grid.labels.rows).toEqual(['api', 'db', '(no service)']);
    expect(grid.columns).toHaveLength(28);
    expect(grid.columns[0]).toBe('2024-02-19');
    expect(grid.labels.columns[0]).toBe('Mon 19 Feb 2024');
    expect(grid.columns[27]).toBe('2024-03-17');
    expect(nonEmpty(grid)).toEqual({
      'api / Mon 04 Mar 2024': 2,
      'db / Tue 20 Feb 2024': 1,
      'db / Tue 05 Mar 2024': 1,
      '(no service) / Mon 11 Mar 2024': 1,
    });
  });

  it('lays categories by ISO week, labelled by ISO week number', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'WEEKLY', { period: fourWeeks });
    expect(grid.rows).toEqual(['network', 'storage', '']);
    expect(grid.columns).toEqual(['2024-02-19', '2024-02-26', '2024-03-04', '2024-03-11']);
    expect(grid.labels.columns).toEqual(['2024-W08', '2024-W09', '2024-W10', '2024-W11']);
    expect(grid.values).toEqual([
      [0, 0, 2, 0],
      [1, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('lays weekdays by month', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'MONTHLY', { period: fourWeeks });
    expect(grid.columns).toEqual(['2024-02', '2024-03']);
    expect(grid.labels.columns).toEqual(['Feb 2024', 'Mar 2024']);
    // Mondays: A, B, D in March. Tuesdays: E in February, C in March.
    expect(grid.values[0]).toEqual([0, 3]);
    expect(grid.values[1]).toEqual([1, 1]);
    expect(
      grid.values
        .slice(2)
        .flat()
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('keeps only the incidents that pass the filters', async () => {
    engine = await heatmapEngine();
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'HOURLY', {
      period: fourWeeks,
      filters: { service: 'api' },
    });
    expect(nonEmpty(grid)).toEqual({ 'Monday / 09:00': 2 });
    const low = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'HOURLY', {
      period: fourWeeks,
      filters: { severity: 'LOW' },
    });
    expect(nonEmpty(low)).toEqual({ 'Monday / 09:00': 1 });
  });

  it('shows cost impact as zeros with a note while there are no cost analyses, then their sums', async () => {
    engine = await heatmapEngine();
    const before = await engine.heatmaps.compute('COST_IMPACT', 'HOURLY', { period: fourWeeks });
    expect(before.values.flat().every((v) => v === 0)).toBe(true);
    expect(before.notes).toEqual([expect.stringContaining('no cost analyses yet')]);
    await addCosts(engine);
    const after = await engine.heatmaps.compute('COST_IMPACT', 'HOURLY', { period: fourWeeks });
    // A: 100.10 + 50.05 = 150.15 on Monday 09; C: 200.00 on Tuesday 14.
    expect(nonEmpty(after)).toEqual({ 'Monday / 09:00': 150.15, 'Tuesday / 14:00': 200 });
    // Two analyses of A stand behind Monday 09.
    expect(after.sample_counts[0]?.[9]).toBe(2);
    expect(after.unit).toBe('USD');
    expect(after.notes).toEqual([]);
    const byService = await engine.heatmaps.compute('COST_IMPACT', 'DAILY', { period: fourWeeks });
    expect(byService.rows).toEqual(['api', 'db', '']);
    expect(nonEmpty(byService)).toEqual({ 'api / Mon 04 Mar 2024': 150.15, 'db / Tue 05 Mar 2024': 200 });
  });

  it('counts anomalies by window start, per affected service and per series category', async () => {
    engine = await heatmapEngine();
    const none = await engine.heatmaps.compute('ANOMALY_DENSITY', 'DAILY', { period: fourWeeks });
    expect(none.rows).toEqual([]);
    expect(none.columns).toHaveLength(28);
    expect(none.notes).toEqual(['no anomaly detections in the period']);
    await addAnomalies(engine);
    const hourly = await engine.heatmaps.compute('ANOMALY_DENSITY', 'HOURLY', { period: fourWeeks });
    expect(nonEmpty(hourly)).toEqual({ 'Monday / 09:00': 1, 'Tuesday / 03:00': 1 });
    // X touches api and db: it counts in both rows; Y has no service.
    const daily = await engine.heatmaps.compute('ANOMALY_DENSITY', 'DAILY', { period: fourWeeks });
    expect(daily.labels.rows).toEqual(['api', 'db', '(no service)']);
    expect(nonEmpty(daily)).toEqual({
      'api / Mon 04 Mar 2024': 1,
      'db / Mon 04 Mar 2024': 1,
      '(no service) / Tue 12 Mar 2024': 1,
    });
    const weekly = await engine.heatmaps.compute('ANOMALY_DENSITY', 'WEEKLY', { period: fourWeeks });
    expect(weekly.labels.rows).toEqual(['network', '(no category)']);
    expect(weekly.values).toEqual([
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    const onlyDb = await engine.heatmaps.compute('ANOMALY_DENSITY', 'DAILY', {
      period: fourWeeks,
      filters: { service: 'db' },
    });
    expect(nonEmpty(onlyDb)).toEqual({ 'db / Mon 04 Mar 2024': 1 });
  });
});
