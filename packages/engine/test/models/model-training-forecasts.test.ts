import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

// A small demo: 2,000 seeded synthetic incidents over the 60 days before a pinned clock.
const clock = new Date('2025-01-01T00:00:00Z');
let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 2 } });
  await loadSyntheticIncidents(engine, { seed: 11, count: 2000, days: 60 });
}, 60_000);
afterAll(async () => {
  await engine.close();
});

// Small configurations keep the test fast.
const configs = {
  ARIMA: {},
  PROPHET: {},
  LSTM: { epochs: 5, units: 8, lookback: 14 },
  RANDOM_FOREST: { n_estimators: 20, max_depth: 6 },
  XGBOOST: { n_estimators: 20, max_depth: 4 },
  NEURAL_NETWORK: { hidden_layer_sizes: [8], max_iter: 30 },
} as const;

describe('INCIDENT_PREDICTION trains to ACTIVE with every algorithm and forecasts with intervals', () => {
  it.each(Object.keys(configs) as (keyof typeof configs)[])(
    '%s',
    async (algorithm) => {
      const model = await engine.models.create({
        name: `daily incidents ${algorithm}`,
        model_type: 'INCIDENT_PREDICTION',
        algorithm_type: algorithm,
        model_config: { ...configs[algorithm] },
        training_data_period_days: 60,
      });
      const outcome = await engine.models.trainNow(model.id);
      expect(outcome.error).toBeUndefined();
      const trained = await engine.models.get(model.id);
      expect(trained).toMatchObject({
        status: 'ACTIVE',
        version: '1',
        precision_score: null,
        recall_score: null,
        f1_score: null,
      });
      // Samples of a forecaster: the incidents counted in its 60 days (2,000 generated, a few open at the edge).
      expect(trained.training_samples_count).toBeGreaterThan(1900);
      const performance = await engine.models.performance(model.id);
      const metrics = performance.metrics as { mase: number; smape: number; coverage: number };
      expect(performance).toMatchObject({ task: 'forecast', baseline: { name: 'seasonal_naive' } });
      expect(trained.accuracy_score).toBeCloseTo(1 - metrics.smape / 200, 5);
      expect(performance.beats_baseline).toBe(
        metrics.mase < (performance.baseline.metrics as { mase: number }).mase,
      );
      expect(performance.evaluated_on.test_rows).toBe(7);
      const [overall] = await engine.models.forecastCounts(model.id, 7);
      expect(overall?.group).toBeNull();
      expect(overall?.timestamps[0]).toBe('2025-01-01T00:00:00.000Z');
      expect(overall?.mean).toHaveLength(7);
      overall?.mean.forEach((mean, i) => {
        expect(overall.lower[i]).toBeLessThanOrEqual(mean);
        expect(overall.upper[i]).toBeGreaterThanOrEqual(mean);
      });
    },
    60_000,
  );

  it('trains the Python client example (RANDOM_FOREST, only n_estimators) with defaults', async () => {
    const model = await engine.models.create({
      name: 'Incident Predictor',
      description: 'Predicts incident occurrence',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 100 },
    });
    expect((await engine.models.trainNow(model.id)).status).toBe('ACTIVE');
  }, 60_000);

  it('forecasts hourly counts with the hourly default features, scored on the last 7 × 24 hours', async () => {
    const model = await engine.models.create({
      name: 'hourly',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'XGBOOST',
      model_config: { granularity: 'hour', n_estimators: 10, horizon: 24 },
      training_data_period_days: 30,
    });
    expect(model.feature_columns).toEqual(expect.arrayContaining(['lag_24', 'lag_168', 'hour_of_day']));
    expect((await engine.models.trainNow(model.id)).error).toBeUndefined();
    expect((await engine.models.performance(model.id)).evaluated_on.test_rows).toBe(168);
    const [overall] = (await engine.models.predict(model.id, {})).forecasts ?? [];
    expect(overall?.timestamps.slice(0, 2)).toEqual(['2025-01-01T00:00:00.000Z', '2025-01-01T01:00:00.000Z']);
    expect(overall?.mean).toHaveLength(24);
  }, 60_000);

  it('forecasts per service with group_by', async () => {
    const model = await engine.models.create({
      name: 'per service',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'PROPHET',
      model_config: { group_by: 'service', horizon: 3 },
      training_data_period_days: 60,
    });
    expect((await engine.models.trainNow(model.id)).error).toBeUndefined();
    const prediction = await engine.models.predict(model.id, {});
    const groups = prediction.forecasts?.map((f) => f.group) ?? [];
    expect(groups.length).toBeGreaterThan(2);
    expect(prediction.forecasts?.[0]?.mean).toHaveLength(3);
    const one = await engine.models.predict(model.id, { horizon: 2, group: groups[0] ?? null });
    expect(one.forecasts?.map((f) => [f.group, f.mean.length])).toEqual([[groups[0], 2]]);
    await expect(engine.models.predict(model.id, { group: 'no such service' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  }, 60_000);
});

describe('ANOMALY_DETECTION', () => {
  it('ISOLATION_FOREST checks its configuration, runs the detector over the window and stores what it found', async () => {
    await expect(
      engine.models.create({
        name: 'bad',
        model_type: 'ANOMALY_DETECTION',
        algorithm_type: 'ISOLATION_FOREST',
        model_config: { sensitivity: 'extreme' },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    const model = await engine.models.create({
      name: 'detector',
      model_type: 'ANOMALY_DETECTION',
      algorithm_type: 'ISOLATION_FOREST',
      model_config: { sensitivity: 'high' },
      training_data_period_days: 60,
    });
    expect((await engine.models.trainNow(model.id)).error).toBeUndefined();
    const performance = await engine.models.performance(model.id);
    const metrics = performance.metrics as { points: number; detections: number };
    expect(performance).toMatchObject({ task: 'anomaly', beats_baseline: null, baseline: { name: 'none' } });
    expect(metrics.points).toBe(60 * 24);
    expect(performance.verdict).toContain(`found ${metrics.detections} anomalies in 1440 hours`);
    // Nothing stored under it yet: the reviews read when the performance is asked for are empty.
    expect(performance.metrics).toMatchObject({
      reviews: { detections: 0, reviewed: 0, review_precision: null },
    });
    expect(performance.notes.at(-1)).toBe(
      'Since training, none of its 0 stored anomalies has been reviewed yet.',
    );
    await expect(engine.models.predict(model.id, {})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  }, 60_000);
});
