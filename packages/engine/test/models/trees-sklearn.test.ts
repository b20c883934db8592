import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  pythonTreeReference,
  sliceRows,
  syntheticTreeData,
  writeTreeCsv,
} from '../../../../test/support/tree-fixtures.ts';
import {
  predictTrees,
  type TreeTask,
  type TreeTrainingData,
  trainBoosted,
  trainForest,
} from '../../src/models/kernels/trees/index.ts';

/*
 * Quality against the references on the same data and the same split, trained in the same run:
 * scikit-learn's RandomForest for the forest, XGBoost (hist, native categories) for boosting
 * (scikit-learn's HistGradientBoosting where XGBoost is not installed). 10,000 seeded synthetic
 * rows (test/support/tree-fixtures.ts), the first 8,000 to train, the last 2,000 to test. Scores:
 * macro-F1 for classes, R² for regression, both computed by scikit-learn on both predictions.
 * The references run on one thread here (quality, not speed: bench/trees.bench.ts times them on
 * two), and the forests have 50 or 30 trees on both sides to keep the run short.
 */

const directory = mkdtempSync(path.join(tmpdir(), 'trees-sklearn-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function split(task: TreeTask, missing: number, categorical: boolean) {
  const all = syntheticTreeData(10_000, 11, task, missing);
  const data: TreeTrainingData = categorical ? all : { ...all, categorical: [] };
  const train = sliceRows(data, 0, 8_000);
  const test = sliceRows(data, 8_000, 10_000);
  const csv = path.join(directory, `${task}-${missing}-${categorical}.csv`);
  writeTreeCsv(csv, train, test);
  return { train, test, csv };
}

function predictionsOf(model: ReturnType<typeof trainForest>, test: TreeTrainingData): ArrayLike<number> {
  const p = predictTrees(model, test);
  return p.task === 'regression' ? p.values : p.labels;
}

describe('the forest against scikit-learn RandomForest', () => {
  // No missing values and category codes as plain numbers: both learners see the same numbers.
  it.each([
    ['binary', 50],
    ['multiclass', 50],
    ['regression', 30],
  ] as const)('%s, %i trees of depth 10, numeric features: within 0.02', (task, trees) => {
    const { train, test, csv } = split(task, 0, false);
    const model = trainForest(train, { task, trees, maxDepth: 10, seed: 1 });
    const result = pythonTreeReference({
      csv,
      algorithm: 'forest',
      task,
      categorical: [],
      trees,
      maxDepth: 10,
      threads: 1,
      ours: predictionsOf(model, test),
    });
    expect(Math.abs(result.ours - result.reference)).toBeLessThanOrEqual(0.02);
  });

  it('with native categories and missing values, at least as good as scikit-learn on codes (within 0.02)', () => {
    // scikit-learn 1.2's forest takes neither: it gets the codes as numbers and a sentinel for NaN.
    const { train, test, csv } = split('multiclass', 0.05, true);
    const model = trainForest(train, { task: 'multiclass', seed: 1 });
    const result = pythonTreeReference({
      csv,
      algorithm: 'forest',
      task: 'multiclass',
      categorical: [9, 10, 11],
      trees: 100,
      maxDepth: 10,
      threads: 1,
      ours: predictionsOf(model, test),
    });
    expect(result.ours).toBeGreaterThanOrEqual(result.reference - 0.02);
  });
});

describe('boosting against XGBoost hist', () => {
  // Native categories and 5% missing values on both sides; 100 rounds of depth 6, η 0.3, λ 1.
  it.each(['binary', 'multiclass', 'regression'] as const)('%s: within 0.02', (task) => {
    const { train, test, csv } = split(task, 0.05, true);
    const model = trainBoosted(train, { task, rounds: 100, maxDepth: 6, seed: 1 });
    const result = pythonTreeReference({
      csv,
      algorithm: 'boosting',
      task,
      categorical: [9, 10, 11],
      trees: 100,
      maxDepth: 6,
      threads: 1,
      ours: predictionsOf(model, test),
    });
    expect(Math.abs(result.ours - result.reference)).toBeLessThanOrEqual(0.02);
  });
});
