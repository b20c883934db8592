/**
 * `trainModel` and `predict`: the tabular library's two entry points. They check the request,
 * resolve the configuration, fit the feature encoding and the labels on the training rows, call
 * the algorithm, and add what every algorithm shares: feature importance by name, regression
 * intervals from out-of-sample residuals, labels with probabilities.
 */

import { EngineError } from '../../errors.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import type { FitResult, RawPrediction, TabularLearner } from './algorithm.ts';
import { resolveConfig } from './config.ts';
import { encodeTarget, inferFeatures } from './encoding.ts';
import { neuralNetworkLearner } from './neural.ts';
import { quantile } from './sampling.ts';
import { svmLearner } from './svm.ts';
import { predictTaskName, trainModelTaskName } from './task-names.ts';
import { randomForestLearner, xgboostLearner } from './trees.ts';
import {
  type TabularAlgorithm,
  type TabularPrediction,
  type TabularRow,
  type TrainedModel,
  type TrainSpec,
  tabularAlgorithms,
} from './types.ts';

const learners: Readonly<Record<TabularAlgorithm, TabularLearner>> = {
  RANDOM_FOREST: randomForestLearner,
  XGBOOST: xgboostLearner,
  SVM: svmLearner,
  NEURAL_NETWORK: neuralNetworkLearner,
};

/** Share of the training rows (the newest, at the end) held out to measure regression residuals. */
const residualHoldout = 0.2;

function invalid(message: string, field: string): never {
  throw new EngineError('VALIDATION_ERROR', message, { errors: [{ field, message }] });
}

function checkSpec(rows: readonly TabularRow[], spec: TrainSpec): void {
  if (!tabularAlgorithms.includes(spec?.algorithm)) {
    invalid(
      `algorithm must be one of ${tabularAlgorithms.join(', ')} (got ${String(spec?.algorithm)})`,
      'algorithm',
    );
  }
  if (spec.task !== 'classification' && spec.task !== 'regression') {
    invalid(`task must be classification or regression (got ${String(spec.task)})`, 'task');
  }
  if (typeof spec.target !== 'string' || spec.target === '') invalid('target must name a column', 'target');
  if (!Array.isArray(spec.features)) invalid('features must be a list of column names', 'features');
  if (spec.features.includes(spec.target))
    invalid(`target ${spec.target} cannot also be a feature`, 'features');
  if (spec.seed !== undefined && !Number.isInteger(spec.seed)) invalid('seed must be an integer', 'seed');
  if (!Array.isArray(rows) || rows.length < 2) invalid('training needs at least two rows', 'rows');
}

/** Regression residuals (actual − predicted) of a model fitted on the head, on the held-out tail. */
async function tailResiduals(
  rows: readonly TabularRow[],
  spec: TrainSpec,
  pool: WorkerPool | undefined,
): Promise<Float64Array> {
  const cut = Math.floor(rows.length * (1 - residualHoldout));
  const head = rows.slice(0, cut);
  const tail = rows.slice(cut);
  const model = await trainModel(
    head,
    { ...spec, task: 'regression' },
    { intervals: false, ...(pool ? { pool } : {}) },
  );
  const predicted = await predict(model, tail);
  return Float64Array.from(
    tail,
    (row, i) => (row[spec.target] as number) - (predicted[i] as { value: number }).value,
  );
}

/**
 * Trains `spec.algorithm` on `rows` (ordered oldest first: a regression's interval comes from
 * the newest 20% when the algorithm has no out-of-bag rows). Throws VALIDATION_ERROR naming the
 * field or configuration key at fault. With `options.pool`, the work runs on the pool's worker
 * threads (a forest's trees spread over them, boosting's histograms over two); without, in this
 * thread. `options.intervals: false` skips the regression residuals (and the extra fit they may cost).
 *
 * @example
 * const model = await trainModel(rows, { algorithm: 'XGBOOST', task: 'classification', target: 'severity',
 *   features: ['category', 'hour_of_day'], config: { n_estimators: 50 } });
 * const [first] = await predict(model, [{ category: 'network', hour_of_day: 3 }]);
 */
export async function trainModel(
  rows: readonly TabularRow[],
  spec: TrainSpec,
  options: { pool?: WorkerPool; intervals?: boolean } = {},
): Promise<TrainedModel> {
  checkSpec(rows, spec);
  const config = resolveConfig(spec.algorithm, spec.task, spec.config);
  const { pool } = options;
  // Trees spread their own work over the pool (a forest's trees, boosting's histograms).
  if (pool && spec.algorithm !== 'RANDOM_FOREST' && spec.algorithm !== 'XGBOOST') {
    return pool.run<TrainedModel>(trainModelTaskName, { rows, spec, intervals: options.intervals !== false });
  }
  const seed = spec.seed ?? 1;
  const features = inferFeatures(rows, spec.features);
  const target = encodeTarget(rows, spec.target, spec.task);
  const fitted: FitResult = await learners[spec.algorithm].fit({
    rows,
    features,
    target,
    config,
    seed,
    pool,
  });
  let residuals: TrainedModel['residuals'];
  if (spec.task === 'regression' && options.intervals !== false) {
    const out =
      fitted.residuals ?? (rows.length >= 10 ? await tailResiduals(rows, spec, pool) : new Float64Array([0]));
    residuals = { q05: quantile(out, 0.05), q95: quantile(out, 0.95) };
  }
  const importance = fitted.importance;
  return {
    format: 'incident-insights.tabular/1',
    algorithm: spec.algorithm,
    task: spec.task,
    target: spec.target,
    features,
    ...(target.task === 'classification' ? { classes: target.classes } : {}),
    config,
    ...(importance
      ? { featureImportance: Object.fromEntries(features.map((f, j) => [f.name, importance[j] as number])) }
      : {}),
    ...(residuals ? { residuals } : {}),
    trainingRows: fitted.trainingRows,
    state: fitted.state,
  };
}

function checkModel(model: TrainedModel): void {
  if (model?.format !== 'incident-insights.tabular/1' || !tabularAlgorithms.includes(model.algorithm)) {
    invalid('not a trained tabular model (format incident-insights.tabular/1)', 'model');
  }
}

function toPredictions(model: TrainedModel, raw: RawPrediction, count: number): TabularPrediction[] {
  if ('values' in raw) {
    const { q05, q95 } = model.residuals ?? { q05: 0, q95: 0 };
    return Array.from(raw.values, (value) => ({ value, lower: value + q05, upper: value + q95 }));
  }
  const classes = model.classes ?? [];
  const width = classes.length;
  return Array.from({ length: count }, (_, i) => {
    const probabilities: Record<string, number> = {};
    let best = 0;
    classes.forEach((label, k) => {
      const p = raw.probabilities[i * width + k] as number;
      probabilities[label] = p;
      if (p > (raw.probabilities[i * width + best] as number)) best = k;
    });
    const index = raw.labels ? (raw.labels[i] as number) : best;
    return { label: classes[index] as string, probabilities };
  });
}

/**
 * Predicts `rows` with a trained model (also one restored with `JSON.parse`: the same output):
 * a label with a probability per class, or a value with the interval [value + q05, value + q95]
 * of the out-of-sample residuals (90%). Missing or unknown features are treated as missing values.
 */
export async function predict(
  model: TrainedModel,
  rows: readonly TabularRow[],
  options: { pool?: WorkerPool } = {},
): Promise<TabularPrediction[]> {
  checkModel(model);
  if (!Array.isArray(rows)) invalid('rows must be a list', 'rows');
  if (rows.length === 0) return [];
  if (options.pool) return options.pool.run<TabularPrediction[]>(predictTaskName, { model, rows });
  const raw = await learners[model.algorithm].predictRaw(model.state, rows, {
    features: model.features,
    task: model.task,
    classes: model.classes?.length ?? 1,
  });
  return toPredictions(model, raw, rows.length);
}
