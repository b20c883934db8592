import { describe, expect, it } from 'vitest';
import { sliceRows, syntheticTreeData } from '../../../../test/support/tree-fixtures.ts';
import { EngineError } from '../../src/errors.ts';
import {
  featureImportance,
  mergeForests,
  predictTrees,
  type TreeModel,
  type TreeTrainingData,
  trainBoosted,
  trainForest,
} from '../../src/models/kernels/trees/index.ts';

/** One-feature data (column-major is one column), target as given. */
function oneFeature(x: number[], target: number[], categorical = false): TreeTrainingData {
  return {
    values: Float64Array.from(x),
    rows: x.length,
    columns: 1,
    target: Float64Array.from(target),
    ...(categorical ? { categorical: [0] } : {}),
  };
}

const roundTrip = (model: TreeModel): TreeModel => JSON.parse(JSON.stringify(model));

describe('boosting, worked by hand', () => {
  /*
   * x = 1, 2, 3, 4; y = 1, 1, 3, 3; squared error, λ = 1, γ = 0, η = 1, one round of depth 1.
   * Start: ŷ = mean = 2, so g = ŷ − y = 1, 1, −1, −1 and h = 1 each; G = 0, H = 4.
   * Cut between 2 and 3 (threshold 2.5): G_L = 2, H_L = 2, G_R = −2, H_R = 2,
   *   gain = ½ [2²/(2+1) + (−2)²/(2+1) − 0²/(4+1)] = ½ (4/3 + 4/3) = 4/3.
   * Cut between 1 and 2: G_L = 1, H_L = 1, G_R = −1, H_R = 3: ½ [1/2 + 1/4] = 3/8 (3 | 4 the same).
   * Leaves: w_L = −G_L/(H_L+λ) = −2/3, w_R = 2/3; predictions 2 − 2/3 = 4/3 and 2 + 2/3 = 8/3.
   */
  const data = oneFeature([1, 2, 3, 4], [1, 1, 3, 3]);
  const model = trainBoosted(data, { task: 'regression', rounds: 1, maxDepth: 1, eta: 1, lambda: 1 });

  it('splits at 2.5 with gain 4/3 and leaf weights ∓2/3', () => {
    const tree = model.trees[0]!;
    expect(model.baseScore).toEqual([2]);
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.value[tree.left[0]!]).toBeCloseTo(-2 / 3, 12);
    expect(tree.value[tree.right[0]!]).toBeCloseTo(2 / 3, 12);
    expect(model.gain[0]).toBeCloseTo(4 / 3, 12);
    const { values } = predictTrees(model, {
      values: Float64Array.from([0, 2.5, 2.6, 9]),
      rows: 4,
      columns: 1,
    }) as {
      values: Float64Array;
    };
    expect(Array.from(values, (v) => Number(v.toFixed(12)))).toEqual(
      [4 / 3, 4 / 3, 8 / 3, 8 / 3].map((v) => Number(v.toFixed(12))),
    );
  });

  it('does not split when γ is above the best gain (4/3), and does just below it', () => {
    const pruned = trainBoosted(data, { task: 'regression', rounds: 1, maxDepth: 1, eta: 1, gamma: 1.34 });
    expect(pruned.trees[0]!.left[0]).toBe(-1);
    const kept = trainBoosted(data, { task: 'regression', rounds: 1, maxDepth: 1, eta: 1, gamma: 1.33 });
    expect(kept.trees[0]!.left[0]).not.toBe(-1);
  });

  it('refuses a child whose hessian sum is under min_child_weight (3 > 2 on each side of 2.5)', () => {
    // With min_child_weight 3 no cut leaves 3 rows (h = 1 each) on both sides of 4 rows.
    const none = trainBoosted(data, { task: 'regression', rounds: 1, maxDepth: 1, minChildWeight: 3 });
    expect(none.trees[0]!.left[0]).toBe(-1);
  });
});

describe('forest, worked by hand', () => {
  it('separates two classes at the midpoint with pure leaves', () => {
    // x = 1 … 4, y = 0 0 1 1, no bootstrap, all features: the one split at 2.5 leaves pure nodes.
    const model = trainForest(oneFeature([1, 2, 3, 4], [0, 0, 1, 1]), {
      task: 'binary',
      trees: 1,
      bootstrap: false,
      maxFeatures: 'all',
    });
    const tree = model.trees[0]!;
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.value.slice(2 * tree.left[0]!, 2 * tree.left[0]! + 2)).toEqual([1, 0]);
    expect(tree.value.slice(2 * tree.right[0]!, 2 * tree.right[0]! + 2)).toEqual([0, 1]);
    expect(featureImportance(model)).toEqual(Float64Array.from([1]));
  });
});

describe('missing values and categories', () => {
  it('learns where missing values go', () => {
    const x = [1, 2, 3, 4, Number.NaN, Number.NaN];
    for (const [missingClass, side] of [
      [1, 0],
      [0, 1],
    ] as const) {
      const model = trainForest(oneFeature(x, [0, 0, 1, 1, missingClass, missingClass]), {
        task: 'binary',
        trees: 1,
        bootstrap: false,
        maxDepth: 1,
      });
      expect(model.trees[0]!.missingLeft[0]).toBe(side);
      const { labels } = predictTrees(model, {
        values: Float64Array.from([Number.NaN]),
        rows: 1,
        columns: 1,
      }) as {
        labels: Int32Array;
      };
      expect(labels[0]).toBe(missingClass);
    }
  });

  it('splits categories in one cut ordered by their gradient statistic', () => {
    // Codes 1, 4, 5 are class 1, codes 0, 2, 3 class 0: no threshold on the codes separates them.
    const codes = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5];
    const target = codes.map((c) => ([1, 4, 5].includes(c) ? 1 : 0));
    const model = trainBoosted(oneFeature(codes, target, true), {
      task: 'binary',
      rounds: 1,
      maxDepth: 1,
      minChildWeight: 0,
    });
    const tree = model.trees[0]!;
    const set = tree.categorySets[tree.category[0]!]!;
    expect([
      [0, 2, 3],
      [1, 4, 5],
    ]).toContainEqual(set);
    const probe = predictTrees(roundTrip(model), {
      values: Float64Array.from([0, 1, 2, 3, 4, 5]),
      rows: 6,
      columns: 1,
    });
    expect(probe.task !== 'regression' && Array.from(probe.labels)).toEqual([0, 1, 0, 0, 1, 1]);
  });

  it('sends a category unseen in training the way missing values go', () => {
    const model = trainBoosted(oneFeature([0, 0, 1, 1, Number.NaN, Number.NaN], [0, 0, 1, 1, 1, 1], true), {
      task: 'binary',
      rounds: 1,
      maxDepth: 1,
      minChildWeight: 0,
    });
    const features = { values: Float64Array.from([Number.NaN, 7]), rows: 2, columns: 1 };
    const p = predictTrees(model, features);
    expect(p.task !== 'regression' && p.probabilities[1]).toBe(p.task !== 'regression' && p.probabilities[3]);
  });
});

describe('determinism and serialisation', () => {
  const all = syntheticTreeData(3_000, 5, 'multiclass', 0.05);
  const train = sliceRows(all, 0, 2_400);
  const test = sliceRows(all, 2_400, 3_000);

  it('gives the same model for the same seed, another for another seed', () => {
    const a = trainForest(train, { task: 'multiclass', trees: 10, seed: 3 });
    const b = trainForest(train, { task: 'multiclass', trees: 10, seed: 3 });
    const c = trainForest(train, { task: 'multiclass', trees: 10, seed: 4 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    const d = trainBoosted(train, {
      task: 'multiclass',
      rounds: 5,
      subsample: 0.8,
      colsampleByTree: 0.7,
      seed: 3,
    });
    const e = trainBoosted(train, {
      task: 'multiclass',
      rounds: 5,
      subsample: 0.8,
      colsampleByTree: 0.7,
      seed: 3,
    });
    expect(JSON.stringify(d)).toBe(JSON.stringify(e));
  });

  it('gives the same forest trained in parts (firstTree) and merged as trained at once', () => {
    const whole = trainForest(train, { task: 'multiclass', trees: 6, seed: 9 });
    const parts = [
      trainForest(train, { task: 'multiclass', trees: 2, seed: 9 }),
      trainForest(train, { task: 'multiclass', trees: 4, firstTree: 2, seed: 9 }),
    ];
    const merged = mergeForests(parts);
    expect(merged.trees).toEqual(whole.trees);
    for (const [j, g] of merged.gain.entries()) expect(g).toBeCloseTo(whole.gain[j]!, 12);
    expect(predictTrees(merged, test)).toEqual(predictTrees(whole, test));
    const boosted = trainBoosted(train, { task: 'multiclass', rounds: 1 });
    expect(() => mergeForests([whole, boosted])).toThrow(/differ|random forest/);
  });

  it('predicts exactly the same after a JSON round trip', () => {
    for (const task of ['binary', 'multiclass', 'regression'] as const) {
      const data = task === 'multiclass' ? train : { ...train, ...syntheticTreeData(2_400, 6, task, 0.05) };
      const forest = trainForest(data, { task, trees: 5, seed: 1 });
      const boosted = trainBoosted(data, { task, rounds: 10, subsample: 0.7, seed: 1 });
      for (const model of [forest, boosted])
        expect(predictTrees(roundTrip(model), test)).toEqual(predictTrees(model, test));
    }
  });

  it('gives probabilities that sum to 1 and importances that sum to 1, led by informative features', () => {
    const model = trainBoosted(train, { task: 'multiclass', rounds: 20 });
    const p = predictTrees(model, test);
    if (p.task === 'regression') throw new Error('expected classes');
    for (let i = 0; i < test.rows; i++)
      expect(p.probabilities[3 * i]! + p.probabilities[3 * i + 1]! + p.probabilities[3 * i + 2]!).toBeCloseTo(
        1,
        12,
      );
    const shares = featureImportance(model);
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // f6 and f7 are pure noise in the generator; f0 (a sine) and f11 (30 categories) carry signal.
    expect(shares[0]!).toBeGreaterThan(shares[6]!);
    expect(shares[11]!).toBeGreaterThan(shares[7]!);
  });
});

describe('validation', () => {
  const data = oneFeature([1, 2, 3, 4], [0, 1, 0, 1]);
  const cases: [string, () => unknown, RegExp][] = [
    ['a bad task', () => trainForest(data, { task: 'ranking' as 'binary' }), /task must be one of/],
    ['a short matrix', () => trainForest({ ...data, rows: 5 }, { task: 'binary' }), /rows × columns/],
    [
      'a target of the wrong length',
      () => trainForest({ ...data, target: new Float64Array(3) }, { task: 'binary' }),
      /3 values for 4 rows/,
    ],
    [
      'a fractional class',
      () => trainForest({ ...data, target: Float64Array.from([0, 1, 0.5, 1]) }, { task: 'binary' }),
      /not a class index/,
    ],
    [
      'class 2 in a binary task',
      () => trainBoosted({ ...data, target: Float64Array.from([0, 1, 2, 1]) }, { task: 'binary' }),
      /only 2 classes/,
    ],
    ['multiclass with 2 classes', () => trainBoosted(data, { task: 'multiclass' }), /at least 3 classes/],
    [
      'a fractional category code',
      () => trainForest(oneFeature([0, 1.5, 2, 3], [0, 1, 0, 1], true), { task: 'binary' }),
      /category codes are integers/,
    ],
    [
      'an infinite feature',
      () => trainForest(oneFeature([0, Number.POSITIVE_INFINITY, 2, 3], [0, 1, 0, 1]), { task: 'binary' }),
      /infinite/,
    ],
    ['depth 0', () => trainForest(data, { task: 'binary', maxDepth: 0 }), /maxDepth must be an integer/],
    [
      'a misspelt option',
      () => trainBoosted(data, { task: 'binary', round: 10 } as never),
      /unknown boosting option round; known: task/,
    ],
    [
      'a boosting option given to the forest',
      () => trainForest(data, { task: 'binary', eta: 0.1 } as never),
      /unknown forest option eta/,
    ],
    ['eta 0', () => trainBoosted(data, { task: 'binary', eta: 0 }), /eta must be a number > 0/],
    ['subsample 1.5', () => trainBoosted(data, { task: 'binary', subsample: 1.5 }), /subsample/],
    [
      'maxFeatures above the features',
      () => trainForest(data, { task: 'binary', maxFeatures: 2 }),
      /more than the 1 features/,
    ],
  ];
  it.each(cases)('refuses %s with VALIDATION_ERROR', (_name, call, message) => {
    expect(call).toThrow(EngineError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect((error as EngineError).code).toBe('VALIDATION_ERROR');
    }
  });

  it('refuses predicting with the wrong number of features, or from something that is not a model', () => {
    const model = trainForest(data, { task: 'binary', trees: 2 });
    expect(() => predictTrees(model, { values: new Float64Array(4), rows: 2, columns: 2 })).toThrow(
      /trained on 1 features, but features has 2 columns/,
    );
    expect(() => predictTrees({} as TreeModel, { values: new Float64Array(1), rows: 1, columns: 1 })).toThrow(
      /not a tree model/,
    );
  });
});
