import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

// A small demo: 2,000 seeded synthetic incidents over the 60 days before a pinned clock.
const clock = new Date('2025-01-01T00:00:00Z');
let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 2 } });
  await loadSyntheticIncidents(engine, { seed: 7, count: 2000, days: 60 });
}, 60_000);
afterAll(async () => {
  await engine.close();
});

// Small configurations keep the test fast; every algorithm of the tabular types.
const configs = {
  RANDOM_FOREST: { n_estimators: 20, max_depth: 6 },
  XGBOOST: { n_estimators: 20, max_depth: 4 },
  SVM: { max_training_rows: 800 },
  NEURAL_NETWORK: { hidden_layer_sizes: [16], max_iter: 20 },
} as const;
type Algorithm = keyof typeof configs;
const algorithms = Object.keys(configs) as Algorithm[];

async function trainEach(
  modelType:
    | 'SEVERITY_PREDICTION'
    | 'ESCALATION_PREDICTION'
    | 'RESOLUTION_TIME_PREDICTION'
    | 'COST_PREDICTION',
) {
  const results = [];
  for (const algorithm of algorithms) {
    const model = await engine.models.create({
      name: `${modelType} ${algorithm}`,
      model_type: modelType,
      algorithm_type: algorithm,
      model_config: { ...configs[algorithm] },
      training_data_period_days: 60,
    });
    const outcome = await engine.models.trainNow(model.id);
    results.push({ algorithm, model: await engine.models.get(model.id), outcome });
  }
  return results;
}

describe('tabular regressors train to ACTIVE on demo data with every algorithm', () => {
  it('RESOLUTION_TIME_PREDICTION: R² clipped at 0 as accuracy_score, the others null, mean baseline', async () => {
    for (const { algorithm, model, outcome } of await trainEach('RESOLUTION_TIME_PREDICTION')) {
      expect([algorithm, outcome.error, model.status]).toEqual([algorithm, undefined, 'ACTIVE']);
      expect([model.precision_score, model.recall_score, model.f1_score]).toEqual([null, null, null]);
      const performance = await engine.models.performance(model.id);
      const metrics = performance.metrics as { r2: number; mae: number };
      expect(model.accuracy_score).toBeCloseTo(Math.max(0, metrics.r2), 5);
      expect(performance.baseline.name).toBe('mean');
      expect(performance.beats_baseline).toBe(
        metrics.mae < (performance.baseline.metrics as { mae: number }).mae,
      );
    }
  }, 60_000);

  it('COST_PREDICTION: INSUFFICIENT_DATA "no cost analyses yet", then trains once costs exist', async () => {
    const model = await engine.models.create({
      name: 'cost',
      model_type: 'COST_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: configs.RANDOM_FOREST,
    });
    const outcome = await engine.models.trainNow(model.id);
    expect(outcome.error).toEqual({ code: 'INSUFFICIENT_DATA', message: 'no cost analyses yet' });
    expect(await engine.models.get(model.id)).toMatchObject({
      status: 'ERROR',
      error_message: 'INSUFFICIENT_DATA: no cost analyses yet',
    });
    // One cost analysis per resolved incident: 100 dollars per hour to resolve.
    await internalContext(engine).db.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, created_at, updated_at)
       SELECT uuid(), id, 'DOWNTIME', round(epoch(resolved_at - created_at) / 36, 2), resolved_at, resolved_at
       FROM incidents WHERE resolved_at IS NOT NULL`,
    );
    for (const { algorithm, model: trained, outcome: o } of await trainEach('COST_PREDICTION')) {
      expect([algorithm, o.error, trained.status]).toEqual([algorithm, undefined, 'ACTIVE']);
    }
  }, 60_000);
});
