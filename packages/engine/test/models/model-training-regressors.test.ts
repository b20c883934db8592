import { describe, expect, it } from 'vitest';
import { internalContext } from '../../src/internal.ts';
import { tabularConfigs, tabularDemo } from './tabular-demo.ts';

const { engine, trainEach } = tabularDemo();

describe('tabular regressors train to ACTIVE on demo data with every algorithm', () => {
  it('RESOLUTION_TIME_PREDICTION: R² clipped at 0 as accuracy_score, the others null, mean baseline', async () => {
    for (const { algorithm, model, outcome } of await trainEach('RESOLUTION_TIME_PREDICTION')) {
      expect([algorithm, outcome.error, model.status]).toEqual([algorithm, undefined, 'ACTIVE']);
      expect([model.precision_score, model.recall_score, model.f1_score]).toEqual([null, null, null]);
      const performance = await engine().models.performance(model.id);
      const metrics = performance.metrics as { r2: number; mae: number };
      expect(model.accuracy_score).toBeCloseTo(Math.max(0, metrics.r2), 5);
      expect(performance.baseline.name).toBe('mean');
      expect(performance.beats_baseline).toBe(
        metrics.mae < (performance.baseline.metrics as { mae: number }).mae,
      );
    }
  }, 60_000);

  it('COST_PREDICTION: INSUFFICIENT_DATA "no cost analyses yet", then trains once costs exist', async () => {
    const model = await engine().models.create({
      name: 'cost',
      model_type: 'COST_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { ...tabularConfigs.RANDOM_FOREST },
    });
    const outcome = await engine().models.trainNow(model.id);
    expect(outcome.error).toEqual({ code: 'INSUFFICIENT_DATA', message: 'no cost analyses yet' });
    expect(await engine().models.get(model.id)).toMatchObject({
      status: 'ERROR',
      error_message: 'INSUFFICIENT_DATA: no cost analyses yet',
    });
    // One cost analysis per resolved incident: 100 dollars per hour to resolve.
    await internalContext(engine()).db.run(
      `INSERT INTO cost_analyses (id, incident_id, cost_type, cost_amount, created_at, updated_at)
       SELECT uuid(), id, 'DOWNTIME', round(epoch(resolved_at - created_at) / 36, 2), resolved_at, resolved_at
       FROM incidents WHERE resolved_at IS NOT NULL`,
    );
    for (const { algorithm, model: trained, outcome: o } of await trainEach('COST_PREDICTION')) {
      expect([algorithm, o.error, trained.status]).toEqual([algorithm, undefined, 'ACTIVE']);
    }
  }, 60_000);
});
