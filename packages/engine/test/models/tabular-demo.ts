import { afterAll, beforeAll } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { loadSyntheticIncidents } from '../../src/synth/loader.ts';

/** The model types the tabular learners serve. */
type TabularModelType =
  | 'SEVERITY_PREDICTION'
  | 'ESCALATION_PREDICTION'
  | 'RESOLUTION_TIME_PREDICTION'
  | 'COST_PREDICTION';

/** Small configurations of every tabular algorithm, which keep the tests fast. */
export const tabularConfigs = {
  RANDOM_FOREST: { n_estimators: 20, max_depth: 6 },
  XGBOOST: { n_estimators: 20, max_depth: 4 },
  SVM: { max_training_rows: 800 },
  NEURAL_NETWORK: { hidden_layer_sizes: [16], max_iter: 20 },
} as const;
type Algorithm = keyof typeof tabularConfigs;
const algorithms = Object.keys(tabularConfigs) as Algorithm[];

/**
 * A small demo for a test file: 2,000 seeded synthetic incidents over the 60 days before a pinned
 * clock, in an engine opened before the file's tests and closed after them. `trainEach` creates and
 * trains one model of `modelType` per tabular algorithm and returns each with its outcome.
 */
export function tabularDemo() {
  const clock = new Date('2025-01-01T00:00:00Z');
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 2 } });
    await loadSyntheticIncidents(engine, { seed: 7, count: 2000, days: 60 });
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });
  return {
    engine: () => engine,
    async trainEach(modelType: TabularModelType) {
      const results = [];
      for (const algorithm of algorithms) {
        const model = await engine.models.create({
          name: `${modelType} ${algorithm}`,
          model_type: modelType,
          algorithm_type: algorithm,
          model_config: { ...tabularConfigs[algorithm] },
          training_data_period_days: 60,
        });
        const outcome = await engine.models.trainNow(model.id);
        results.push({ algorithm, model: await engine.models.get(model.id), outcome });
      }
      return results;
    },
  };
}
