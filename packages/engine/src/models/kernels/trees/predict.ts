/**
 * Prediction from a {@link TreeModel}, on raw (unbinned) features: a row goes left at a numeric
 * node when `x <= threshold`, at a categorical node when its code is in the node's set; a missing
 * value, and a category the training rows did not bin, follows the node's learned direction. These
 * are exactly the decisions the learner made on the training bins, so a model predicts its
 * training rows as it was fitted, before and after a JSON round trip.
 */

import { EngineError } from '../../../errors.ts';
import type { FeatureColumns, SerializedTree, TreeModel, TreePrediction } from './types.ts';
import { checkFeatureColumns } from './validate.ts';

/** A tree in typed arrays, with its category sets as `Set`s, ready to walk. */
export interface CompiledTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly category: Int32Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly sets: readonly Set<number>[];
}

/** Compiles a serialised tree for {@link leafOf}. */
export function compileTree(tree: SerializedTree): CompiledTree {
  return {
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    category: Int32Array.from(tree.category),
    missingLeft: Uint8Array.from(tree.missingLeft),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    value: Float64Array.from(tree.value),
    sets: tree.categorySets.map((codes) => new Set(codes)),
  };
}

/**
 * The leaf that row `row` of the column-major `values` (`rows` rows) reaches. `known[j]` holds the
 * codes categorical feature `j` was trained on (other codes count as missing).
 */
export function leafOf(
  tree: CompiledTree,
  known: readonly (Set<number> | null)[],
  values: Float64Array,
  rows: number,
  row: number,
): number {
  const { feature, threshold, category, missingLeft, left, right, sets } = tree;
  let node = 0;
  while ((left[node] as number) >= 0) {
    const f = feature[node] as number;
    const x = values[f * rows + row] as number;
    const set = category[node] as number;
    let goLeft: boolean;
    if (Number.isNaN(x)) goLeft = missingLeft[node] === 1;
    else if (set < 0) goLeft = x <= (threshold[node] as number);
    else if (!(known[f] as Set<number>).has(x)) goLeft = missingLeft[node] === 1;
    else goLeft = (sets[set] as Set<number>).has(x);
    node = goLeft ? (left[node] as number) : (right[node] as number);
  }
  return node;
}

/** The trained category codes of each categorical feature of `model` (null for numeric ones). */
function knownCategories(model: TreeModel): (Set<number> | null)[] {
  const known: (Set<number> | null)[] = Array.from({ length: model.features }, () => null);
  model.categorical.forEach((feature, k) => {
    known[feature] = new Set(model.categoryCodes[k]);
  });
  return known;
}

function checkModel(model: TreeModel): void {
  const ok =
    model !== null &&
    typeof model === 'object' &&
    model.format === 'incident-insights.trees/1' &&
    Array.isArray(model.trees) &&
    Array.isArray(model.treeOutput) &&
    model.treeOutput.length === model.trees.length &&
    Number.isInteger(model.features) &&
    Number.isInteger(model.classes);
  if (!ok) {
    throw new EngineError('VALIDATION_ERROR', 'not a tree model (format incident-insights.trees/1)', {
      field: 'model',
    });
  }
}

/** Numerically safe logistic function. */
function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Predicts every row of `features` (column-major, the model's number of features): class
 * probabilities and labels for a classifier, values for a regressor. A forest averages its trees'
 * leaves (class shares, or means); a boosted model adds its trees' leaf weights to the base
 * margin and applies the logistic (binary) or softmax (multiclass) link.
 */
export function predictTrees(model: TreeModel, features: FeatureColumns): TreePrediction {
  checkModel(model);
  checkFeatureColumns(features, 'features');
  if (features.columns !== model.features) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `the model was trained on ${model.features} features, but features has ${features.columns} columns`,
      { field: 'features' },
    );
  }
  const { rows, values } = features;
  const forest = model.algorithm === 'random-forest';
  const classes = model.classes;
  // Outputs per row: a forest classifier's leaves hold class shares; boosting has one margin per class (one for binary).
  const width = model.task === 'regression' ? 1 : forest || model.task === 'multiclass' ? classes : 1;
  const sums = new Float64Array(rows * width);
  if (!forest)
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < width; k++) sums[i * width + k] = model.baseScore[k] as number;
  const known = knownCategories(model);
  model.trees.forEach((serialized, t) => {
    const tree = compileTree(serialized);
    const leafWidth = forest ? width : 1;
    const output = forest ? 0 : (model.treeOutput[t] as number);
    for (let i = 0; i < rows; i++) {
      const at = leafOf(tree, known, values, rows, i) * leafWidth;
      for (let k = 0; k < leafWidth; k++) {
        const slot = i * width + output + k;
        sums[slot] = (sums[slot] as number) + (tree.value[at + k] as number);
      }
    }
  });
  if (model.task === 'regression') {
    if (forest) for (let i = 0; i < rows; i++) sums[i] = (sums[i] as number) / model.trees.length;
    return { task: 'regression', values: sums };
  }
  let probabilities: Float64Array;
  if (forest) {
    probabilities = sums;
    for (let k = 0; k < sums.length; k++) probabilities[k] = (sums[k] as number) / model.trees.length;
  } else if (model.task === 'binary') {
    probabilities = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(sums[i] as number);
      probabilities[2 * i] = 1 - p;
      probabilities[2 * i + 1] = p;
    }
  } else {
    probabilities = sums;
    for (let i = 0; i < rows; i++) softmaxInPlace(probabilities, i * classes, classes);
  }
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if ((probabilities[i * classes + k] as number) > (probabilities[i * classes + best] as number))
        best = k;
    }
    labels[i] = best;
  }
  return { task: model.task, classes, probabilities, labels };
}

/** Replaces `x[at … at + count − 1]` (margins) by their softmax. */
export function softmaxInPlace(x: Float64Array, at: number, count: number): void {
  let top = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) if ((x[at + k] as number) > top) top = x[at + k] as number;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const e = Math.exp((x[at + k] as number) - top);
    x[at + k] = e;
    total += e;
  }
  for (let k = 0; k < count; k++) x[at + k] = (x[at + k] as number) / total;
}

/**
 * Gain importance: each feature's share of the total loss reduction of all the model's splits
 * (impurity decrease for a forest, as scikit-learn's `feature_importances_`; XGBoost's
 * `total_gain`, normalised). Sums to 1, or is all zeros when the model never split.
 */
export function featureImportance(model: TreeModel): Float64Array {
  checkModel(model);
  const shares = Float64Array.from(model.gain);
  let total = 0;
  for (const g of shares) total += g;
  if (total > 0) for (let j = 0; j < shares.length; j++) shares[j] = (shares[j] as number) / total;
  return shares;
}
