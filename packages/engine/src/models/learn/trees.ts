/**
 * RANDOM_FOREST and XGBOOST over the engine's histogram tree learners (`models/kernels/trees`):
 * categorical features go in natively (category codes), missing values as NaN. With a worker
 * pool, a forest's trees are spread over the pool's threads in contiguous parts and merged (the
 * same forest as one thread would grow, see `ForestOptions.firstTree`).
 */

import { availableParallelism } from 'node:os';
import type { WorkerPool } from '../../workers/pool.ts';
import { treeStream } from '../kernels/trees/forest.ts';
import {
  type ForestOptions,
  featureImportance,
  mergeForests,
  predictTrees,
  type TreeModel,
  type TreeTrainingData,
  trainBoosted,
  trainForest,
} from '../kernels/trees/index.ts';
import {
  newSharedHistogramMemory,
  type SharedHistogramMemory,
  stopHistogramHelper,
} from '../kernels/trees/shared-histograms.ts';
import type { BoostedOptions } from '../kernels/trees/types.ts';
import type { FitInput, FitResult, RawPrediction, TabularLearner } from './algorithm.ts';
import type { RandomForestConfig, XgboostConfig } from './config.ts';
import { treeMatrix } from './encoding.ts';
import { forestPartTaskName } from './task-names.ts';
import type { ModelFeature, TabularRow } from './types.ts';

/** The worker task that trains a boosted ensemble with a helper thread (see {@link boostOn}). */
export const boostedTaskName = 'models.learn.boosted';
/** The worker task that serves a boosting's histograms until told to stop (`runHistogramHelper`). */
export const histogramHelperTaskName = 'models.learn.histogram-helper';

/** Payload of {@link boostedTaskName}. */
export interface BoostedPayload {
  readonly data: TreeTrainingData;
  readonly options: BoostedOptions;
  readonly shared: SharedHistogramMemory;
}

/** Payload of the worker task that trains trees `firstTree …` of a forest. */
export interface ForestPartPayload {
  readonly data: TreeTrainingData;
  readonly options: ForestOptions;
}

function trainingData(input: FitInput): TreeTrainingData {
  const { rows, features, target } = input;
  return {
    values: treeMatrix(rows, features),
    rows: rows.length,
    columns: features.length,
    categorical: features.flatMap((f, j) => (f.kind === 'categorical' ? [j] : [])),
    target: target.task === 'classification' ? target.codes : target.values,
  };
}

function treeTask(input: FitInput): 'binary' | 'multiclass' | 'regression' {
  const { target } = input;
  if (target.task === 'regression') return 'regression';
  return target.classes.length === 2 ? 'binary' : 'multiclass';
}

/** scikit-learn's `max_features` as a count of features (1.0 and null: all of them). */
function featuresPerSplit(choice: RandomForestConfig['max_features'], columns: number): number {
  let count: number;
  if (choice === 'sqrt') count = Math.floor(Math.sqrt(columns));
  else if (choice === 'log2') count = Math.floor(Math.log2(columns));
  else if (choice === null || choice === undefined || choice === 1) count = columns;
  else if (choice < 1) count = Math.floor(choice * columns);
  else count = choice;
  return Math.min(columns, Math.max(1, count));
}

async function trainForestOn(
  data: TreeTrainingData,
  options: ForestOptions,
  pool: WorkerPool | undefined,
): Promise<TreeModel> {
  const trees = options.trees ?? 100;
  const threads = Math.min(trees, pool ? (pool.options.threads ?? availableParallelism()) : 1);
  if (!pool || threads < 2) return trainForest(data, options);
  const parts: Promise<TreeModel>[] = [];
  for (let part = 0; part < threads; part++) {
    const first = Math.floor((part * trees) / threads);
    const next = Math.floor(((part + 1) * trees) / threads);
    // Each part gets its own copy: the pool moves (detaches) the buffers it sends.
    const copy: TreeTrainingData = { ...data, values: data.values.slice(), target: data.target.slice() };
    const payload: ForestPartPayload = {
      data: copy,
      options: { ...options, trees: next - first, firstTree: first },
    };
    parts.push(pool.run<TreeModel>(forestPartTaskName, payload));
  }
  return mergeForests(await Promise.all(parts));
}

/**
 * Training rows from which boosting takes a second thread: below, the hand-offs cost more than
 * the halves save (bench/RESULTS.md: at 20,000 rows two workers took 1.24 s where one thread took
 * 0.87 s; at 100,000 rows two are faster).
 */
export const boostingPoolMinimumRows = 50_000;

/**
 * Boosting on the pool's two threads: one worker grows the trees level by level, another does the
 * second half of the rows' work of every level (partitions and histograms), over shared memory
 * (`shared-histograms.ts`): the same model as {@link trainBoosted} on one thread. The grower starts
 * first; if the helper cannot start (the pool is busy), the grower works alone, and the helper,
 * once it starts, stops at once. Without a pool of two threads or more, or with fewer than
 * {@link boostingPoolMinimumRows} rows: one thread, in the caller.
 */
export async function boostOn(
  data: TreeTrainingData,
  options: BoostedOptions,
  pool: WorkerPool | undefined,
): Promise<TreeModel> {
  const threads = pool ? (pool.options.threads ?? availableParallelism()) : 1;
  if (!pool || threads < 2 || data.rows < boostingPoolMinimumRows) return trainBoosted(data, options);
  const shared = newSharedHistogramMemory(data.rows, data.columns);
  // The features go to the grower in the shared memory (the helper bins half of them); the
  // target as a copy: the pool moves (detaches) the buffers it sends.
  shared.values.set(data.values);
  const copy: TreeTrainingData = { ...data, values: shared.values, target: data.target.slice() };
  const payload: BoostedPayload = { data: copy, options, shared };
  const grown = pool.run<TreeModel>(boostedTaskName, payload);
  const helper = pool.run<number>(histogramHelperTaskName, { shared });
  try {
    return await grown;
  } finally {
    stopHistogramHelper(shared);
    await helper.catch(() => 0);
  }
}

/** Out-of-bag residuals of a regression forest: each row against the trees that did not draw it. */
function outOfBagResiduals(model: TreeModel, data: TreeTrainingData, seed: number): Float64Array {
  const { rows } = data;
  const sum = new Float64Array(rows);
  const count = new Int32Array(rows);
  const inBag = new Uint8Array(rows);
  model.trees.forEach((tree, t) => {
    const random = treeStream(seed, t);
    inBag.fill(0);
    for (let draw = 0; draw < rows; draw++) inBag[Math.floor(random() * rows)] = 1;
    const single = predictTrees({ ...model, trees: [tree], treeOutput: [0] }, data);
    if (single.task !== 'regression') return;
    for (let i = 0; i < rows; i++) {
      if (inBag[i]) continue;
      sum[i] = (sum[i] as number) + (single.values[i] as number);
      count[i] = (count[i] as number) + 1;
    }
  });
  const residuals: number[] = [];
  for (let i = 0; i < rows; i++) {
    if (count[i] === 0) continue;
    residuals.push((data.target[i] as number) - (sum[i] as number) / (count[i] as number));
  }
  return Float64Array.from(residuals);
}

function importanceOf(model: TreeModel): Float64Array {
  return featureImportance(model);
}

async function predictTreeModel(
  state: unknown,
  rows: readonly TabularRow[],
  features: readonly ModelFeature[],
): Promise<RawPrediction> {
  const model = state as TreeModel;
  const prediction = predictTrees(model, {
    values: treeMatrix(rows, features),
    rows: rows.length,
    columns: features.length,
  });
  if (prediction.task === 'regression') return { values: prediction.values };
  return { probabilities: prediction.probabilities, labels: prediction.labels };
}

/** RANDOM_FOREST: scikit-learn's random forest on our histogram learner. */
export const randomForestLearner: TabularLearner = {
  async fit(input: FitInput): Promise<FitResult> {
    const config = input.config as RandomForestConfig;
    const data = trainingData(input);
    const task = treeTask(input);
    const options: ForestOptions = {
      task,
      ...(task === 'multiclass' ? { classes: (input.target as { classes: string[] }).classes.length } : {}),
      trees: config.n_estimators,
      maxDepth: config.max_depth ?? 30,
      maxFeatures: featuresPerSplit(config.max_features, data.columns),
      minSamplesSplit: config.min_samples_split,
      minSamplesLeaf: config.min_samples_leaf,
      bootstrap: config.bootstrap,
      minCategoryRows: config.min_data_per_group ?? 0,
      seed: input.seed,
    };
    const model = await trainForestOn(data, options, input.pool);
    const residuals =
      task === 'regression' && config.bootstrap ? outOfBagResiduals(model, data, input.seed) : undefined;
    return {
      state: model,
      trainingRows: data.rows,
      importance: importanceOf(model),
      ...(residuals && residuals.length > 0 ? { residuals } : {}),
    };
  },
  predictRaw: (state, rows, { features }) => predictTreeModel(state, rows, features),
};

/** XGBOOST: regularised second-order boosting on our histogram learner, XGBoost's parameter names. */
export const xgboostLearner: TabularLearner = {
  async fit(input: FitInput): Promise<FitResult> {
    const config = input.config as XgboostConfig;
    const data = trainingData(input);
    const task = treeTask(input);
    const options: BoostedOptions = {
      task,
      ...(task === 'multiclass' ? { classes: (input.target as { classes: string[] }).classes.length } : {}),
      rounds: config.n_estimators,
      maxDepth: config.max_depth,
      eta: config.learning_rate,
      lambda: config.reg_lambda,
      alpha: config.reg_alpha,
      // XGBoost's code leaves the ½ out of a split's gain: its gamma is twice the kernel's.
      gamma: config.gamma / 2,
      minChildWeight: config.min_child_weight,
      subsample: config.subsample,
      colsampleByTree: config.colsample_bytree,
      colsampleByNode: config.colsample_bynode,
      minCategoryRows: config.min_data_per_group ?? 0,
      seed: input.seed,
    };
    const model = await boostOn(data, options, input.pool);
    return { state: model, trainingRows: data.rows, importance: importanceOf(model) };
  },
  predictRaw: (state, rows, { features }) => predictTreeModel(state, rows, features),
};
