/**
 * The hyper-parameters of each tabular algorithm: strict zod schemas (an unknown key is refused)
 * with scikit-learn's and XGBoost's names and defaults, and {@link resolveConfig}, which fills the
 * defaults in and turns a bad configuration into a VALIDATION_ERROR naming the key.
 */

import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import { zodIssuesToFieldErrors } from '../../input/field-errors.ts';
import type { LearnTask, TabularAlgorithm } from './types.ts';

const positiveInt = (max: number) => z.number().int().min(1).max(max);
const share = z.number().gt(0).max(1);

/**
 * RANDOM_FOREST, after scikit-learn's RandomForestClassifier / Regressor. `max_depth` defaults to
 * 10 (scikit-learn grows trees without limit); `null` asks for the deepest trees this learner
 * grows, 30 levels. `max_features` defaults to 'sqrt' for classification and 1.0 (all) for
 * regression, as scikit-learn's. `min_data_per_group` is LightGBM's name (see {@link resolveConfig}).
 */
const randomForestSchema = z
  .object({
    n_estimators: positiveInt(2000).default(100),
    max_depth: positiveInt(30).nullable().default(10),
    min_samples_split: z.number().int().min(2).default(2),
    min_samples_leaf: positiveInt(1_000_000).default(1),
    max_features: z
      .union([z.enum(['sqrt', 'log2']), share, z.number().int().min(1)])
      .nullable()
      .optional(),
    bootstrap: z.boolean().default(true),
    min_data_per_group: z.number().min(0).optional(),
  })
  .strict();

/**
 * XGBOOST, after XGBoost's parameters (same defaults): our own implementation of regularised
 * second-order boosting on 255-bin histograms (see `models/kernels/trees`). `gamma` means what it
 * means in XGBoost (the minimum loss reduction as XGBoost's code computes it).
 * `min_data_per_group` is LightGBM's name (see {@link resolveConfig}).
 */
const xgboostSchema = z
  .object({
    n_estimators: positiveInt(5000).default(100),
    max_depth: positiveInt(30).default(6),
    learning_rate: z.number().gt(0).max(1).default(0.3),
    reg_lambda: z.number().min(0).default(1),
    reg_alpha: z.number().min(0).default(0),
    gamma: z.number().min(0).default(0),
    min_child_weight: z.number().min(0).default(1),
    subsample: share.default(1),
    colsample_bytree: share.default(1),
    colsample_bynode: share.default(1),
    min_data_per_group: z.number().min(0).optional(),
  })
  .strict();

/**
 * SVM, after scikit-learn's SVC / SVR over libsvm: C-SVC for classification, epsilon-SVR for
 * regression. `probability` (Platt scaling, libsvm's `-b 1`) defaults to true here, because a
 * prediction carries class probabilities. `max_training_rows` caps the training rows (a stratified
 * seeded sample above it), since the solver's cost grows with the square of the rows.
 */
const svmSchema = z
  .object({
    C: z.number().gt(0).default(1),
    kernel: z.enum(['rbf', 'linear', 'poly', 'sigmoid']).default('rbf'),
    gamma: z.union([z.enum(['scale', 'auto']), z.number().gt(0)]).default('scale'),
    degree: positiveInt(10).default(3),
    coef0: z.number().default(0),
    epsilon: z.number().min(0).default(0.1),
    tol: z.number().gt(0).default(0.001),
    shrinking: z.boolean().default(true),
    probability: z.boolean().default(true),
    cache_size: z.number().gt(0).max(4096).default(200),
    max_training_rows: positiveInt(200_000).default(20_000),
  })
  .strict();

/**
 * NEURAL_NETWORK, after scikit-learn's MLPClassifier / MLPRegressor (ReLU layers, Adam):
 * `hidden_layer_sizes` [100], `max_iter` 200 epochs (`epochs` is accepted as its synonym and wins),
 * `batch_size` 'auto' (min(200, rows)), `learning_rate_init` 0.001, `alpha` (L2) 0.0001,
 * `early_stopping` false (true: 10% of the rows validate, patience 10 epochs).
 */
const neuralNetworkSchema = z
  .object({
    hidden_layer_sizes: z.array(positiveInt(4096)).min(1).max(8).default([100]),
    max_iter: positiveInt(10_000).default(200),
    epochs: positiveInt(10_000).optional(),
    batch_size: z.union([z.literal('auto'), positiveInt(1_000_000)]).default('auto'),
    learning_rate_init: z.number().gt(0).max(1).default(0.001),
    alpha: z.number().min(0).default(0.0001),
    early_stopping: z.boolean().default(false),
  })
  .strict();

const schemas = {
  RANDOM_FOREST: randomForestSchema,
  XGBOOST: xgboostSchema,
  SVM: svmSchema,
  NEURAL_NETWORK: neuralNetworkSchema,
} as const;

/** Resolved hyper-parameters of each algorithm. */
export type RandomForestConfig = z.output<typeof randomForestSchema>;
export type XgboostConfig = z.output<typeof xgboostSchema>;
export type SvmConfig = z.output<typeof svmSchema>;
export type NeuralNetworkConfig = z.output<typeof neuralNetworkSchema>;

/**
 * The strict zod schema of `algorithm`'s configuration: its keys, their ranges and defaults.
 * Throws VALIDATION_ERROR for an algorithm that is not tabular.
 */
export function algorithmConfigSchema(algorithm: TabularAlgorithm): z.ZodType {
  const schema = Object.hasOwn(schemas, algorithm) ? schemas[algorithm] : undefined;
  if (schema === undefined) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `unknown tabular algorithm ${String(algorithm)}; known: ${Object.keys(schemas).join(', ')}`,
      { errors: [{ field: 'algorithm', message: 'unknown algorithm' }] },
    );
  }
  return schema;
}

/**
 * Checks `config` against `algorithm`'s schema and fills in the defaults (and the task-dependent
 * ones: the forest's `max_features`). Throws VALIDATION_ERROR whose message and field errors name
 * each bad or unknown key.
 */
export function resolveConfig(
  algorithm: TabularAlgorithm,
  task: LearnTask,
  config: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const schema = algorithmConfigSchema(algorithm);
  const parsed = schema.safeParse(config ?? {});
  if (!parsed.success) {
    const errors = zodIssuesToFieldErrors(parsed.error.issues, { wholeInput: 'config' });
    const named = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new EngineError('VALIDATION_ERROR', `invalid ${algorithm} configuration: ${named}`, {
      errors: errors.map((e) => ({ ...e, field: e.field === 'config' ? e.field : `config.${e.field}` })),
    });
  }
  const resolved = { ...(parsed.data as Record<string, unknown>) };
  if (algorithm === 'RANDOM_FOREST' && resolved['max_features'] === undefined) {
    resolved['max_features'] = task === 'classification' ? 'sqrt' : 1;
  }
  // Trees: a category with fewer rows than this in a node gets no place of its own in a
  // categorical split (LightGBM's `min_data_per_group`). Regression defaults to LightGBM's 100:
  // without it, splits over hundreds of rare categories fit the noise of a heavy-tailed target
  // (the ServiceNow log's resolution hours, bench/RESULTS.md). Classification keeps every category.
  if (
    (algorithm === 'RANDOM_FOREST' || algorithm === 'XGBOOST') &&
    resolved['min_data_per_group'] === undefined
  ) {
    resolved['min_data_per_group'] = task === 'regression' ? 100 : 0;
  }
  if (algorithm === 'NEURAL_NETWORK') {
    if (resolved['epochs'] !== undefined) resolved['max_iter'] = resolved['epochs'];
    delete resolved['epochs'];
  }
  return resolved;
}
