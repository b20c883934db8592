/**
 * Gradient boosting with second-order, regularised trees, as in XGBoost (Chen & Guestrin 2016):
 * each round fits a tree to the gradients g and hessians h of the loss at the current margins;
 * a leaf's weight is −T_α(G) / (H + λ) (times the shrinkage η), a split's gain
 * ½ [G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] − γ (eq. 7; XGBoost's code leaves out the ½, so its
 * `gamma` is twice ours for the same pruning), and no child may hold a hessian below
 * `minChildWeight`. Histograms of g and h over 255 quantile bins (XGBoost's `tree_method=hist`),
 * missing values sent the way that gains most (the paper's sparsity-aware split finding),
 * categorical features split on a gradient-sorted order of their categories (the partition split
 * of XGBoost's `enable_categorical`: categories sorted by their leaf weight G / (H + λ), at most 64
 * of them taken from either end of that order).
 *
 * Losses: squared error (regression; g = ŷ − y, h = 1), logistic (binary; g = p − y, h = p(1 − p))
 * and softmax (multiclass, one tree per class and round; g = p_k − [y = k], h = p_k(1 − p_k)).
 * The starting margin is the mean, the log-odds or the log class shares of the training target.
 */

import { mulberry32 } from '../../../random/mulberry32.ts';
import { fillGradients, logisticLoss, squaredErrorLoss } from './boosted-step.ts';
import { LevelGrower } from './grow-levels.ts';
import type { GrowSettings } from './grow-settings.ts';
import { levelWorkOver, newLevelArrays, noHelper } from './level-work.ts';
import { compileTree, leafOf, softmaxInPlace } from './predict.ts';
import { HelperLink, type SharedHistogramMemory, sharedLevelWork } from './shared-histograms.ts';
import { fitBinsInHalves, helperRunner, helperScanRunner, stepInHalves } from './two-thread-kernels.ts';
import type { BoostedOptions, SerializedTree, TreeModel, TreeTrainingData } from './types.ts';
import { checkTrainingData, resolveBoostedOptions } from './validate.ts';

/** The starting margins: mean (regression), log-odds (binary) or log class shares (multiclass). */
function startingMargins(task: BoostedOptions['task'], classes: number, target: ArrayLike<number>): number[] {
  const rows = target.length;
  if (task === 'regression') {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += target[i] as number;
    return [sum / rows];
  }
  const counts = new Float64Array(classes);
  for (let i = 0; i < rows; i++) counts[target[i] as number] = (counts[target[i] as number] as number) + 1;
  const share = (k: number) => Math.min(1 - 1e-6, Math.max(1e-6, (counts[k] as number) / rows));
  if (task === 'binary') return [Math.log(share(1) / (1 - share(1)))];
  return Array.from(counts, (_, k) => Math.log(share(k)));
}

/**
 * Trains a boosted ensemble on `data` (features column-major, `NaN` missing, categorical features
 * by code). Deterministic for a seed (the seed only matters with `subsample` or `colsample*` < 1).
 * With `shared` (from `newSharedHistogramMemory(rows, columns)`, its other side served by
 * `runHistogramHelper` on another thread), large nodes' histograms and partitions and the margin
 * updates are split between both threads: the same model, sooner. A large node's histogram is the
 * sum over the first half of its rows plus the sum over the second half, with or without `shared`. Throws VALIDATION_ERROR on bad shapes, targets or options.
 */
export function trainBoosted(
  data: TreeTrainingData,
  options: BoostedOptions,
  shared?: SharedHistogramMemory,
): TreeModel {
  const checked = checkTrainingData(data, options);
  const o = resolveBoostedOptions(options);
  const { task, classes, categorical } = checked;
  const { rows, columns, target, values } = data;
  if (shared && (shared.rows !== rows || shared.columns !== columns)) {
    throw new Error(
      `shared histogram memory is for ${shared.rows} x ${shared.columns}, not ${rows} x ${columns}`,
    );
  }
  const link = shared ? new HelperLink(shared) : undefined;
  const fitted = fitBinsInHalves(values, rows, columns, checked.isCategorical, checked.maxBins, link);
  if (shared && fitted.bins !== shared.bins) shared.bins.set(fitted.bins);
  const binned = shared ? { ...fitted, bins: shared.bins } : fitted;
  const { lambda, alpha, eta } = o;
  const settings: GrowSettings = {
    criterion: {
      channels: 2,
      boosting: true,
      lambda,
      alpha,
      gamma: o.gamma,
      minChildWeight: o.minChildWeight,
      // XGBoost's partition splits: categories ordered by their leaf weight G / (H + λ), at most 64 from either end.
      category: { smooth: lambda, l2: 0, maxCut: 64, minRows: checked.minCategoryRows },
    },
    maxDepth: o.maxDepth,
    minSplitWeight: 2 * o.minChildWeight,
    minGain: 0,
    keepLooking: false,
    shuffleFeatures: o.colsampleByNode < 1,
    purity: 'none',
    leafWidth: 1,
    writeLeaf: (totals, out, at) => {
      const g = totals[0] as number;
      const t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
      out[at] = (-t / ((totals[1] as number) + lambda)) * eta;
    },
  };
  // The second half of every tree level's work: in shared memory for the helper, or here.
  const local = shared ? undefined : newLevelArrays(columns, (bytes) => new ArrayBuffer(bytes));
  const secondHalf = local
    ? levelWorkOver(columns, local.entries, local.lookups, local.sums)
    : sharedLevelWork(shared as SharedHistogramMemory);
  const grower = link
    ? new LevelGrower(binned, settings, secondHalf, helperRunner(link), helperScanRunner(link))
    : new LevelGrower(binned, settings, secondHalf, noHelper);
  const random = mulberry32(checked.seed);
  const outputs = task === 'multiclass' ? classes : 1;
  const baseScore = startingMargins(task, classes, target);
  // A single-output loss on every row: each tree's step updates its rows' margins and their next
  // gradients together (split between the threads), instead of a pass for each.
  const stepped = outputs === 1 && o.subsample >= 1;
  const loss = task === 'regression' ? squaredErrorLoss : logisticLoss;
  const margins = shared && outputs === 1 ? shared.margins : new Float64Array(rows * outputs);
  const targetValues = shared ? shared.target : new Float64Array(rows);
  for (let i = 0; i < rows; i++) targetValues[i] = target[i] as number;
  const leafScratch = new Float64Array(3 * 64);
  for (let i = 0; i < rows; i++) margins.set(baseScore, i * outputs);
  const probabilities = new Float64Array(task === 'multiclass' ? rows * outputs : 0);
  const stats = shared ? shared.stats : new Float64Array(2 * rows);
  const order = new Int32Array(rows);
  const inSample = new Uint8Array(rows);
  const allFeatures = Int32Array.from({ length: columns }, (_, j) => j);
  const candidates = new Int32Array(columns);
  const featuresPerTree = Math.max(1, Math.floor(o.colsampleByTree * columns));
  const trees: SerializedTree[] = [];
  const treeOutput: number[] = [];
  const known =
    categorical.length === 0
      ? []
      : Array.from({ length: columns }, (_, j) =>
          checked.isCategorical[j] ? new Set(binned.codes[j]) : null,
        );
  // Without `subsample`, every round keeps every row: `order` is drawn once, unless the grower
  // reorders it in place (one output without shared memory).
  const drawOnce = o.subsample >= 1 && (shared !== undefined || outputs > 1);
  let count = 0;
  for (let round = 0; round < o.rounds; round++) {
    if (task === 'multiclass') {
      probabilities.set(margins);
      for (let i = 0; i < rows; i++) softmaxInPlace(probabilities, i * outputs, outputs);
    }
    if (round === 0 || !drawOnce) {
      count = 0;
      for (let i = 0; i < rows; i++) {
        const keep = o.subsample >= 1 || random() < o.subsample;
        inSample[i] = keep ? 1 : 0;
        if (keep) order[count++] = i;
      }
    }
    for (let k = 0; k < outputs; k++) {
      if (!stepped || round === 0) fillGradients(task, k, outputs, target, margins, probabilities, stats);
      // Features of this tree: all, or a random subset (partial Fisher–Yates), in ascending order.
      candidates.set(allFeatures);
      if (featuresPerTree < columns) {
        for (let i = 0; i < featuresPerTree; i++) {
          const j = i + Math.floor(random() * (columns - i));
          const t = candidates[i] as number;
          candidates[i] = candidates[j] as number;
          candidates[j] = t;
        }
        candidates.subarray(0, featuresPerTree).sort();
      }
      const perNode = Math.max(1, Math.floor(o.colsampleByNode * featuresPerTree));
      // The grower reorders `order`; a fresh copy per class keeps every class on the same rows
      // (with `shared`, the copy goes where the helper thread reads the rows).
      let rowsOfTree: Int32Array = order;
      if (shared) {
        shared.order.set(order.subarray(0, count));
        rowsOfTree = shared.order;
      } else if (outputs > 1) rowsOfTree = order.slice(0, count);
      const grown = grower.grow(
        rowsOfTree,
        count,
        { layout: 'pairs', stats },
        candidates,
        featuresPerTree,
        perNode,
        random,
      );
      const value = grown.tree.value;
      if (stepped) {
        stepInHalves(loss, grown, value, rowsOfTree, count, margins, targetValues, stats, leafScratch, link);
      } else addLeafWeights(grown, value, rowsOfTree, margins, outputs, k);
      if (count < rows) {
        const compiled = compileTree(grown.tree);
        for (let i = 0; i < rows; i++) {
          if (inSample[i]) continue;
          const at = i * outputs + k;
          margins[at] =
            (margins[at] as number) + (compiled.value[leafOf(compiled, known, values, rows, i)] as number);
        }
      }
      trees.push(grown.tree);
      treeOutput.push(k);
    }
  }
  return {
    format: 'incident-insights.trees/1',
    algorithm: 'gradient-boosting',
    task,
    classes: task === 'regression' ? 1 : classes,
    features: columns,
    categorical,
    categoryCodes: categorical.map((j) => [...(binned.codes[j] as number[])]),
    baseScore,
    treeOutput,
    trees,
    gain: Array.from(grower.gain, (g) => g / trees.length),
  };
}

/** Adds each leaf's weight to output `k` of the margins of the rows it holds. */
function addLeafWeights(
  leaves: { leafNode: readonly number[]; leafStart: readonly number[]; leafEnd: readonly number[] },
  value: readonly number[],
  rows: Int32Array,
  margins: Float64Array,
  outputs: number,
  k: number,
): void {
  for (let leaf = 0; leaf < leaves.leafNode.length; leaf++) {
    const weight = value[leaves.leafNode[leaf] as number] as number;
    const end = leaves.leafEnd[leaf] as number;
    for (let r = leaves.leafStart[leaf] as number; r < end; r++) {
      const at = (rows[r] as number) * outputs + k;
      margins[at] = (margins[at] as number) + weight;
    }
  }
}
