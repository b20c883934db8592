/**
 * Random forest (Breiman 2001) on binned features: each tree is grown on a bootstrap sample of the
 * rows (n draws with replacement, as row weights), examining a random subset of the features at
 * each split, down to `maxDepth`; classification splits minimise the Gini impurity and leaves hold
 * class shares, regression splits minimise the squared error and leaves hold means. Predictions
 * average the trees. Defaults follow scikit-learn's RandomForestClassifier / Regressor (100 trees,
 * √features per split for classifiers, all for regressors), except the depth (10, as the
 * predictive-model specification asks). Splits are searched on 255 quantile bins per feature,
 * not on every distinct value.
 */

import { EngineError } from '../../../errors.ts';
import { mulberry32 } from '../../../random/mulberry32.ts';
import { fitBins } from './binning.ts';
import type { GrowSettings } from './grow-settings.ts';
import { TreeGrower } from './grow-tree.ts';
import type { RowStatistics } from './histogram.ts';
import type { ForestOptions, SerializedTree, TreeModel, TreeTrainingData } from './types.ts';
import { checkTrainingData, resolveForestOptions } from './validate.ts';

/**
 * The random stream of tree `tree` of the forest of `seed`: mulberry32 of the two mixed. Its first
 * `rows` draws pick the tree's bootstrap rows (`Math.floor(random() * rows)` each), which is how a
 * caller finds a tree's out-of-bag rows.
 */
export function treeStream(seed: number, tree: number): () => number {
  return mulberry32((seed ^ Math.imul(tree + 1, 0x9e3779b9)) >>> 0);
}

/** Leaf writers of the three tasks (channel sums → leaf values). */
function forestLeafWriter(task: ForestOptions['task'], classes: number): GrowSettings['writeLeaf'] {
  if (task === 'multiclass') {
    return (totals, out, at) => {
      const weight = totals[classes] as number;
      for (let k = 0; k < classes; k++) out[at + k] = (totals[k] as number) / weight;
    };
  }
  if (task === 'binary') {
    return (totals, out, at) => {
      const share = (totals[0] as number) / (totals[1] as number);
      out[at] = 1 - share;
      out[at + 1] = share;
    };
  }
  return (totals, out, at) => {
    out[at] = (totals[0] as number) / (totals[1] as number);
  };
}

/**
 * Trains a random forest on `data` (features column-major, `NaN` missing, categorical features
 * by code). Deterministic for a seed. Throws VALIDATION_ERROR on bad shapes, targets or options.
 *
 * @example
 * const model = trainForest({ values, rows, columns: 3, categorical: [2], target }, { task: 'binary', seed: 7 });
 * const { probabilities } = predictTrees(model, { values: testValues, rows: testRows, columns: 3 });
 */
export function trainForest(data: TreeTrainingData, options: ForestOptions): TreeModel {
  const checked = checkTrainingData(data, options);
  const resolved = resolveForestOptions(options, data.columns);
  const { task, classes, categorical } = checked;
  const { rows, columns, target } = data;
  const binned = fitBins(data.values, rows, columns, checked.isCategorical, checked.maxBins);
  const channels = task === 'multiclass' ? classes + 1 : 2;
  const settings: GrowSettings = {
    criterion: {
      channels,
      boosting: false,
      lambda: 0,
      alpha: 0,
      gamma: 0,
      minChildWeight: resolved.minSamplesLeaf,
      category: { smooth: 0, l2: 0, maxCut: 256, minRows: checked.minCategoryRows },
    },
    maxDepth: resolved.maxDepth,
    minSplitWeight: Math.max(resolved.minSamplesSplit, 2 * resolved.minSamplesLeaf),
    minGain: 0,
    keepLooking: true,
    shuffleFeatures: resolved.featuresPerSplit < columns,
    purity: task === 'multiclass' ? 'classes' : task === 'binary' ? 'binary' : 'none',
    leafWidth: task === 'regression' ? 1 : classes,
    writeLeaf: forestLeafWriter(task, classes),
  };
  const grower = new TreeGrower(binned, settings);
  const weights = new Float64Array(rows);
  const order = new Int32Array(rows);
  const candidates = Int32Array.from({ length: columns }, (_, j) => j);
  const stats = task === 'multiclass' ? new Float64Array(0) : new Float64Array(2 * rows);
  const labels = task === 'multiclass' ? Int32Array.from(target) : new Int32Array(0);
  const statistics: RowStatistics =
    task === 'multiclass' ? { layout: 'classes', labels, weights } : { layout: 'pairs', stats };
  const trees: SerializedTree[] = [];
  for (let t = 0; t < resolved.trees; t++) {
    const random = treeStream(checked.seed, resolved.firstTree + t);
    if (resolved.bootstrap) {
      weights.fill(0);
      for (let draw = 0; draw < rows; draw++) {
        const row = Math.floor(random() * rows);
        weights[row] = (weights[row] as number) + 1;
      }
    } else {
      weights.fill(1);
    }
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const weight = weights[i] as number;
      if (weight === 0) continue;
      order[count++] = i;
      if (task !== 'multiclass') {
        stats[2 * i] = weight * (target[i] as number);
        stats[2 * i + 1] = weight;
      }
    }
    const grown = grower.grow(
      order,
      count,
      statistics,
      candidates,
      columns,
      resolved.featuresPerSplit,
      random,
    );
    trees.push(grown.tree);
  }
  return {
    format: 'incident-insights.trees/1',
    algorithm: 'random-forest',
    task,
    classes: task === 'regression' ? 1 : classes,
    features: columns,
    categorical,
    categoryCodes: categorical.map((j) => [...(binned.codes[j] as number[])]),
    baseScore: [],
    treeOutput: trees.map(() => 0),
    trees,
    gain: Array.from(grower.gain, (g) => g / (rows * resolved.trees)),
  };
}

/**
 * Joins forests trained on the same data with the same options in parts (see
 * `ForestOptions.firstTree`) into one: their trees in the given order, the gains averaged by tree
 * count. Throws VALIDATION_ERROR when the parts do not belong together.
 */
export function mergeForests(parts: readonly TreeModel[]): TreeModel {
  const first = parts[0];
  if (first === undefined || first.algorithm !== 'random-forest') {
    throw new EngineError('VALIDATION_ERROR', 'mergeForests needs at least one random forest', {
      field: 'parts',
    });
  }
  const shape = (m: TreeModel) =>
    JSON.stringify([m.format, m.algorithm, m.task, m.classes, m.features, m.categorical, m.categoryCodes]);
  if (parts.some((part) => shape(part) !== shape(first))) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'mergeForests: the parts differ in task, classes, features or categories (not trained on the same data)',
      { field: 'parts' },
    );
  }
  const total = parts.reduce((sum, part) => sum + part.trees.length, 0);
  return {
    ...first,
    trees: parts.flatMap((part) => part.trees),
    treeOutput: parts.flatMap((part) => part.treeOutput),
    gain: first.gain.map(
      (_, j) => parts.reduce((sum, part) => sum + (part.gain[j] as number) * part.trees.length, 0) / total,
    ),
  };
}
