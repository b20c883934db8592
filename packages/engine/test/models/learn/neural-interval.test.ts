import { afterEach, describe, expect, it, vi } from 'vitest';
import { predictMlp, trainMlp } from '../../../src/models/kernels/neural/index.ts';
import { trainModel } from '../../../src/models/learn/index.ts';
import { neuralNetworkLearner } from '../../../src/models/learn/neural.ts';
import { syntheticFeatures, syntheticIncidents } from './learn-fixtures.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('NEURAL_NETWORK regression interval', () => {
  const rows = syntheticIncidents(600, 9);
  const spec = {
    algorithm: 'NEURAL_NETWORK',
    task: 'regression',
    target: 'resolution_hours',
    features: [...syntheticFeatures],
  } as const;

  it('with early_stopping, comes from the validation rows of the one fit: no second fit', async () => {
    const fit = vi.spyOn(neuralNetworkLearner, 'fit');
    const model = await trainModel(rows, { ...spec, config: { early_stopping: true, max_iter: 30 } });
    expect(fit).toHaveBeenCalledTimes(1);
    const { q05, q95 } = model.residuals ?? { q05: Number.NaN, q95: Number.NaN };
    // resolution_hours = 10 + 4·score with Gaussian noise of sd 0.5 in the score (learn-fixtures.ts):
    // noise of sd 2 hours, so a 90% band of about ±3.3 hours, wider for an imperfect fit, never zero.
    expect(q05).toBeLessThan(-2);
    expect(q95).toBeGreaterThan(2);
    expect(q95 - q05).toBeLessThan(20);
    // The stored network does not carry the residuals.
    expect(JSON.stringify(model.state)).not.toContain('heldOutResiduals');
  });

  it('without early_stopping, still measures residuals with a fit on the oldest 80%', async () => {
    const fit = vi.spyOn(neuralNetworkLearner, 'fit');
    await trainModel(rows, { ...spec, config: { max_iter: 10 } });
    expect(fit).toHaveBeenCalledTimes(2);
  });
});

describe('trainMlp held-out residuals', () => {
  it('are actual − predicted of ⌈10%⌉ of the rows, in the target units', () => {
    const n = 200;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7));
    const y = Float64Array.from(
      { length: n },
      (_, i) => 100 + 5 * (x[i * 2] as number) - 3 * (x[i * 2 + 1] as number),
    );
    const model = trainMlp(x, n, 2, y, {
      task: 'regression',
      earlyStopping: true,
      epochs: 20,
      hidden: [8],
      seed: 2,
    });
    const residuals = model.heldOutResiduals ?? [];
    expect(residuals).toHaveLength(20);
    const predicted = predictMlp(model, x, n);
    const all = Array.from(y, (v, i) => v - (predicted[i] as number));
    // Each one is the residual of some row (the model's folded scale differs in the last bits).
    for (const r of residuals) expect(Math.min(...all.map((a) => Math.abs(a - r)))).toBeLessThan(1e-9);
    expect(trainMlp(x, n, 2, y, { task: 'regression', epochs: 5, seed: 2 }).heldOutResiduals).toBeUndefined();
  });
});
