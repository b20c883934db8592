import { describe, expect, it } from 'vitest';
import { predictTrees, type TreeTrainingData, trainForest } from '../../../src/models/kernels/trees/index.ts';
import { predict, trainModel } from '../../../src/models/learn/index.ts';

/*
 * One categorical feature: category 0 on 100 rows with target 0, categories 1 and 2 on 5 rows
 * each with targets 10 and −10. A one-split tree (one tree, no bootstrap, depth 1) on every
 * category isolates 1 or 2 (squared errors worked by hand, 1,000 at the root: {2} | {0, 1} leaves
 * 0 + (500 − 50²/105) ≈ 476, as does {1} | {0, 2}; {0} | {1, 2} leaves 0 + 1,000), so one rare
 * category is predicted ±10. With minCategoryRows 10 only category 0 has a place of its own: the one cut
 * left is {0} | {1, 2}, worth nothing; the tree stays a single leaf at the mean, 0.
 */
const codes = [...Array(100).fill(0), ...Array(5).fill(1), ...Array(5).fill(2)] as number[];
const target = codes.map((c) => (c === 1 ? 10 : c === 2 ? -10 : 0));
const data: TreeTrainingData = {
  values: Float64Array.from(codes),
  rows: codes.length,
  columns: 1,
  categorical: [0],
  target: Float64Array.from(target),
};
const probe = { values: Float64Array.from([0, 1, 2]), rows: 3, columns: 1 };
const options = { task: 'regression', trees: 1, maxDepth: 1, bootstrap: false } as const;

function values(prediction: ReturnType<typeof predictTrees>): number[] {
  if (prediction.task !== 'regression') throw new Error('expected values');
  return Array.from(prediction.values);
}

describe('rare categories (LightGBM min_data_per_group)', () => {
  it('a split over every category isolates a rare one', () => {
    const [, one, two] = values(predictTrees(trainForest(data, options), probe));
    expect([one, two].map((v) => Math.abs(v ?? Number.NaN))).toContainEqual(10);
  });

  it('with minCategoryRows, rare categories get no place of their own', () => {
    const model = trainForest(data, { ...options, minCategoryRows: 10 });
    expect(values(predictTrees(model, probe))).toEqual([0, 0, 0]);
  });

  it('regression models default to 100 (LightGBM), classification to 0; the key is checked', async () => {
    const rows = codes.map((c, i) => ({
      group: `g${c}`,
      y: target[i] as number,
      label: c === 0 ? 'a' : 'b',
    }));
    const regression = await trainModel(rows, {
      algorithm: 'RANDOM_FOREST',
      task: 'regression',
      target: 'y',
      features: ['group'],
      config: { n_estimators: 1, bootstrap: false, max_depth: 1 },
    });
    expect(regression.config['min_data_per_group']).toBe(100);
    const [rare] = await predict(regression, [{ group: 'g1' }]);
    expect(rare && 'value' in rare && rare.value).toBe(0);
    const classifier = await trainModel(rows, {
      algorithm: 'XGBOOST',
      task: 'classification',
      target: 'label',
      features: ['group'],
      config: { n_estimators: 1 },
    });
    expect(classifier.config['min_data_per_group']).toBe(0);
    await expect(
      trainModel(rows, {
        algorithm: 'XGBOOST',
        task: 'regression',
        target: 'y',
        features: ['group'],
        config: { min_data_per_group: -1 },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('min_data_per_group'),
    });
  });
});
