import { z } from 'zod';
import { anomalyModelConfigSchema } from '../anomaly/persist/anomaly-model.ts';
import { EngineError } from '../errors.ts';
import { type FieldError, zodIssuesToFieldErrors } from '../input/field-errors.ts';
import { type AlgorithmType, algorithmTypes, type ModelType, modelTypes } from '../schema/enums.ts';
import type { ModelLearners } from './model-learners.ts';

/** What a client gives to create a model (the spec's fields); defaults as the spec's table. */
export interface CreateModelInput {
  name: string;
  description?: string;
  model_type: ModelType;
  algorithm_type: AlgorithmType;
  model_config?: Record<string, unknown>;
  feature_columns?: string[];
  target_column?: string | null;
  training_data_period_days?: number;
  min_training_samples?: number;
  auto_retrain_enabled?: boolean;
  retrain_frequency_days?: number;
  performance_threshold?: number;
}

/** What `update` accepts: any field of {@link CreateModelInput}, and `status` ACTIVE or INACTIVE. */
export type UpdateModelInput = Partial<CreateModelInput> & { status?: 'ACTIVE' | 'INACTIVE' };

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  model_type: z.enum(modelTypes),
  algorithm_type: z.enum(algorithmTypes),
  model_config: z.record(z.string(), z.unknown()),
  feature_columns: z.array(z.string().trim().min(1).max(100)).max(200),
  target_column: z.string().trim().min(1).max(100).nullable(),
  training_data_period_days: z.number().int().min(1).max(3650),
  min_training_samples: z.number().int().min(1).max(10_000_000),
  auto_retrain_enabled: z.boolean(),
  retrain_frequency_days: z.number().int().min(1).max(365),
  performance_threshold: z.number().min(0).max(1),
};

const createSchema = z
  .object({
    ...fields,
    description: fields.description.default(''),
    model_config: fields.model_config.default({}),
    feature_columns: fields.feature_columns.optional(),
    target_column: fields.target_column.optional(),
    training_data_period_days: fields.training_data_period_days.default(90),
    min_training_samples: fields.min_training_samples.default(100),
    auto_retrain_enabled: fields.auto_retrain_enabled.default(false),
    retrain_frequency_days: fields.retrain_frequency_days.default(7),
    performance_threshold: fields.performance_threshold.default(0.7),
  })
  .strict();

const updateSchema = z
  .object({
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])),
    status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  })
  .strict();

/** A checked model definition, ready to store. */
export interface ModelDefinition {
  name: string;
  description: string;
  model_type: ModelType;
  algorithm_type: AlgorithmType;
  model_config: Record<string, unknown>;
  feature_columns: string[];
  target_column: string | null;
  training_data_period_days: number;
  min_training_samples: number;
  auto_retrain_enabled: boolean;
  retrain_frequency_days: number;
  performance_threshold: number;
}

/** Settings of an INCIDENT_PREDICTION model's `model_config` besides the algorithm's own. */
export const forecastSettingsSchema = z.object({
  /** Period of the counts. */
  granularity: z.enum(['day', 'hour']).default('day'),
  /** Forecast per service, team or category (the 20 largest groups), or overall (null). */
  group_by: z.enum(['service', 'team', 'category']).nullable().default(null),
  /** Default steps ahead of a prediction. */
  horizon: z.number().int().min(1).max(1000).default(7),
});

/** The forecast settings of a model config; see {@link forecastSettingsSchema}. */
export type ForecastSettings = z.output<typeof forecastSettingsSchema>;

/** LSTM settings (the neural kernel's names in snake_case). */
const lstmSchema = z
  .object({
    lookback: z.number().int().min(2).max(400).optional(),
    units: z.number().int().min(1).max(256).optional(),
    epochs: z.number().int().min(1).max(1000).optional(),
    learning_rate: z.number().gt(0).max(1).optional(),
  })
  .strict();

const settingKeys = Object.keys(forecastSettingsSchema.shape);

/** Splits an INCIDENT_PREDICTION config into the forecast settings and the algorithm's own keys. */
export function splitForecastConfig(config: Record<string, unknown>): {
  settings: Record<string, unknown>;
  algorithm: Record<string, unknown>;
} {
  const settings: Record<string, unknown> = {};
  const algorithm: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config))
    (settingKeys.includes(key) ? settings : algorithm)[key] = value;
  return { settings, algorithm };
}

const prefixed = (errors: FieldError[]): FieldError[] =>
  errors.map((e) => ({ field: e.field ? `model_config.${e.field}` : 'model_config', message: e.message }));

/**
 * Checks `model_config` for the model's type and algorithm: the tabular algorithms' strict schemas
 * (LEARN), the forecast settings, the LSTM settings, ARIMA and PROPHET take the forecast settings
 * only, and ANOMALY_DETECTION the anomaly capability's detector settings.
 */
function checkConfig(definition: ModelDefinition, learners: ModelLearners): FieldError[] {
  const { model_type: type, algorithm_type: algorithm, model_config: config } = definition;
  if (type === 'ANOMALY_DETECTION') {
    const parsed = anomalyModelConfigSchema.safeParse(config);
    return parsed.success ? [] : prefixed(zodIssuesToFieldErrors(parsed.error.issues));
  }
  const { settings, algorithm: own } =
    type === 'INCIDENT_PREDICTION' ? splitForecastConfig(config) : { settings: {}, algorithm: config };
  const errors: FieldError[] = [];
  const parsedSettings = forecastSettingsSchema.safeParse(settings);
  if (!parsedSettings.success) errors.push(...prefixed(zodIssuesToFieldErrors(parsedSettings.error.issues)));
  if (algorithm === 'ARIMA' || algorithm === 'PROPHET') {
    for (const key of Object.keys(own))
      errors.push({ field: `model_config.${key}`, message: 'unknown field' });
  } else if (algorithm === 'LSTM') {
    const parsed = lstmSchema.safeParse(own);
    if (!parsed.success) errors.push(...prefixed(zodIssuesToFieldErrors(parsed.error.issues)));
  } else if (algorithm !== 'ISOLATION_FOREST') {
    const parsed = learners.algorithmConfigSchema(algorithm).safeParse(own);
    if (!parsed.success) errors.push(...prefixed(zodIssuesToFieldErrors(parsed.error?.issues ?? [])));
  }
  return errors;
}

function invalid(message: string, errors: FieldError[]): EngineError {
  return new EngineError('VALIDATION_ERROR', message, { errors });
}

/**
 * Checks a whole definition: the fields, the pair of model type and algorithm, the features and
 * target (FEATURES' `checkModelDefinition`, which names unknown features and valid algorithms),
 * and the configuration. Returns it with the resolved features and target.
 *
 * @throws EngineError VALIDATION_ERROR with `details.errors` naming each bad field.
 */
export function checkDefinition(definition: ModelDefinition, learners: ModelLearners): ModelDefinition {
  // An hourly forecaster without features gets the hourly defaults (lag_24, lag_168, ...).
  const hourly =
    definition.model_type === 'INCIDENT_PREDICTION' &&
    definition.feature_columns.length === 0 &&
    definition.model_config['granularity'] === 'hour';
  const resolved = learners.checkModelDefinition({
    model_type: definition.model_type,
    algorithm_type: definition.algorithm_type,
    feature_columns: hourly ? [...learners.forecastDefaults('hour')] : definition.feature_columns,
    target_column: definition.target_column,
  });
  const checked = { ...definition, feature_columns: resolved.features, target_column: resolved.target };
  const errors = checkConfig(checked, learners);
  if (errors.length > 0) throw invalid('invalid predictive model configuration', errors);
  return checked;
}

/**
 * Parses a create request (strict: unknown fields are refused) and checks it.
 *
 * @throws EngineError VALIDATION_ERROR.
 */
export function parseCreate(input: unknown, learners: ModelLearners): ModelDefinition {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) throw invalid('invalid predictive model', zodIssuesToFieldErrors(parsed.error.issues));
  const data = parsed.data;
  return checkDefinition(
    { ...data, feature_columns: data.feature_columns ?? [], target_column: data.target_column ?? null },
    learners,
  );
}

/**
 * Parses an update request (strict) into the patch and the new status, if any.
 *
 * @throws EngineError VALIDATION_ERROR.
 */
export function parseUpdate(input: unknown): {
  patch: Partial<ModelDefinition>;
  status?: 'ACTIVE' | 'INACTIVE';
} {
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success)
    throw invalid('invalid predictive model update', zodIssuesToFieldErrors(parsed.error.issues));
  const { status, ...patch } = parsed.data as Partial<ModelDefinition> & { status?: 'ACTIVE' | 'INACTIVE' };
  return status === undefined ? { patch } : { patch, status };
}

/** Fields whose change makes the serving version stale (a retrain is due). */
export const trainingFields: readonly (keyof ModelDefinition)[] = [
  'model_type',
  'algorithm_type',
  'model_config',
  'feature_columns',
  'target_column',
  'training_data_period_days',
  'min_training_samples',
];
