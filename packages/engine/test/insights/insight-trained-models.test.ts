import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

// 2,000 seeded synthetic incidents over the 60 days before a pinned clock (Wednesday 1 January 2025).
const clock = new Date('2025-01-01T00:00:00Z');
let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 2 } });
  await loadSyntheticIncidents(engine, { seed: 11, count: 2000, days: 60 });
}, 60_000);
afterAll(async () => {
  await engine.close();
});

describe('insights from models trained by the models capability', () => {
  it('turns a trained forecaster and a resolution-time regressor into insights, once per version and window', async () => {
    const forecaster = await engine.models.create({
      name: 'Daily incidents',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'PROPHET',
      training_data_period_days: 60,
    });
    const resolution = await engine.models.create({
      name: 'Resolution time',
      model_type: 'RESOLUTION_TIME_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 20, max_depth: 6 },
      training_data_period_days: 60,
    });
    for (const model of [forecaster, resolution])
      expect((await engine.models.trainNow(model.id)).error).toBeUndefined();

    const result = await engine.insights.generate();
    expect(result.notes).toEqual([]);
    expect(result.byType['INCIDENT_FORECAST']).toBe(2);
    // Tomorrow's insight is the sum of the model's own forecast for 2 January, bounds summed too.
    const [overall] = await engine.models.forecastCounts(forecaster.id, 9);
    const index = overall?.timestamps.indexOf('2025-01-02T00:00:00.000Z') as number;
    const forecasts = await engine.insights.list({
      filters: { insight_type: 'INCIDENT_FORECAST' },
      ordering: 'prediction_window_end',
    });
    const tomorrow = forecasts.results[0]!;
    expect(tomorrow.title).toMatch(/^Expect \d+ incidents tomorrow$/);
    expect(tomorrow.prediction_value).toMatchObject({ horizon: 'day', unit: 'incidents' });
    const value = tomorrow.prediction_value as { value: number; lower: number; upper: number };
    expect(value.value).toBeCloseTo(overall?.mean[index] as number, 6);
    expect(value.lower).toBeCloseTo(Math.max(0, overall?.lower[index] as number), 6);
    expect(value.upper).toBeCloseTo(overall?.upper[index] as number, 6);
    expect([tomorrow.model, tomorrow.model_version]).toEqual([forecaster.id, '1']);

    // Resolution delays name open incidents the model expects to take longer than their team's
    // median (teams of at least 5 resolved incidents in 90 days, else everyone's median).
    expect(result.byType['RESOLUTION_DELAY']).toBeGreaterThan(0);
    const delays = (
      await engine.insights.list({ filters: { insight_type: 'RESOLUTION_DELAY' }, pageSize: 100 })
    ).results;
    for (const delay of delays) {
      const threshold = (delay.prediction_value as { threshold_hours: number }).threshold_hours;
      const predicted = await engine.models.predict(resolution.id, { incident_ids: delay.related_incidents });
      expect(predicted.predictions).toHaveLength(delay.related_incidents.length);
      for (const p of predicted.predictions ?? []) expect(Number(p['value'])).toBeGreaterThan(threshold);
      const rows = await internalContext(engine).db.all(
        `SELECT count(*) FILTER (status IN ('RESOLVED', 'CLOSED')) AS closed FROM incidents WHERE list_contains($ids, id::VARCHAR)`,
        { ids: delay.related_incidents },
      );
      expect(Number(rows[0]?.['closed'])).toBe(0);
    }

    expect((await engine.insights.generate()).created).toBe(0);
    // Validated insights feed the model's live accuracy.
    await engine.insights.validateDue(new Date('2025-01-03T00:00:00Z'));
    const live = await engine.models.liveAccuracy(forecaster.id);
    expect(live.validated).toBe(1);
  }, 60_000);
});
