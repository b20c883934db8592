import { z } from '@hono/zod-openapi';
import { algorithmTypes, modelStatuses, modelTypes } from '@incident-insights/engine';

const scoreDescription =
  'Classifiers: macro average over the classes on the newest (held-out) part of the training window. ' +
  'Regressors and forecasts: see the performance route, whose `metrics` hold the right measures ' +
  '(MAE, RMSE, R², MAPE; sMAPE, MASE, coverage); null when the field means nothing for the task.';
const score = z.number().nullable().openapi({ description: scoreDescription });

/** A predictive model as the API shows it: every field of the spec's record, plus `error_message`. */
export const PredictiveModelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    model_type: z.enum(modelTypes),
    algorithm_type: z.enum(algorithmTypes),
    model_config: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The algorithm's hyper-parameters (scikit-learn / XGBoost names)" }),
    feature_columns: z.array(z.string()),
    target_column: z.string().nullable(),
    training_data_period_days: z.number().int(),
    min_training_samples: z.number().int(),
    accuracy_score: score,
    precision_score: score,
    recall_score: score,
    f1_score: score,
    status: z.enum(modelStatuses).openapi({
      description:
        'INACTIVE until first trained; TRAINING while the first version trains; ACTIVE serving a ' +
        'version; RETRAINING while a new version trains (the old one keeps serving); ERROR when the ' +
        'first training failed (error_message says why)',
    }),
    version: z.string().openapi({
      description: '"0" until the first training succeeds, then "1", "2", ...: the serving version',
    }),
    model_file_path: z
      .string()
      .nullable()
      .openapi({ description: 'Where the trained artefact of the serving version is stored' }),
    last_trained_at: z.string().datetime().nullable(),
    training_duration_seconds: z.number().nullable(),
    training_samples_count: z.number().int().nullable(),
    auto_retrain_enabled: z.boolean(),
    retrain_frequency_days: z.number().int(),
    performance_threshold: z.number(),
    created_by: z.uuid().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
    error_message: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Why the last training failed (beside the spec); null otherwise' }),
    is_system_model: z
      .boolean()
      .optional()
      .openapi({ description: "Beside the spec: the anomaly detector's own model, which cannot be deleted" }),
  })
  .openapi('PredictiveModel');

const wholeNumber = (max: number, description: string) =>
  z.number().int().min(1).max(max).openapi({ description });

/** The fields of a model a client sets (every field of the engine's CreateModelInput). */
const modelFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  model_type: z.enum(modelTypes),
  algorithm_type: z.enum(algorithmTypes).openapi({
    description:
      'Must fit the model type (a pair that does not is a 400 naming the valid ones): ' +
      'INCIDENT_PREDICTION: ARIMA, PROPHET, LSTM, XGBOOST, RANDOM_FOREST, NEURAL_NETWORK; ' +
      'SEVERITY, ESCALATION, RESOLUTION_TIME and COST prediction: RANDOM_FOREST, XGBOOST, SVM, ' +
      'NEURAL_NETWORK; ANOMALY_DETECTION: ISOLATION_FOREST',
  }),
  model_config: z
    .record(z.string(), z.unknown())
    .optional()
    .openapi({ description: 'Hyper-parameters; the engine refuses a key the algorithm does not know' }),
  feature_columns: z
    .array(z.string())
    .max(200)
    .optional()
    .openapi({ description: "Names from the feature catalogue; default the model type's features" }),
  target_column: z
    .string()
    .nullish()
    .openapi({ description: "Must fit the model type; default the type's target" }),
  training_data_period_days: wholeNumber(
    3650,
    'Days of history before now the training reads (default 90)',
  ).optional(),
  min_training_samples: wholeNumber(
    10_000_000,
    'Fewer rows than this (default 100): the training ends in ERROR, INSUFFICIENT_DATA with the count',
  ).optional(),
  auto_retrain_enabled: z.boolean().optional(),
  retrain_frequency_days: wholeNumber(
    365,
    'Days between retrainings when auto_retrain_enabled (default 7)',
  ).optional(),
  performance_threshold: z.number().min(0).max(1).optional().openapi({
    description: 'Retrain when the live accuracy on validated insights falls below this (default 0.7)',
  }),
};

/** Body of `POST /predictive-models/`: the spec's create body; an unknown field is refused by name. */
export const NewPredictiveModelSchema = z.strictObject(modelFields).openapi('NewPredictiveModel');

/**
 * Body of `PATCH /predictive-models/{id}/`: any of the create fields, and `status` ACTIVE or
 * INACTIVE to take a model out of service or back. Changing the configuration of an ACTIVE model
 * keeps its version serving until it is retrained.
 */
export const PredictiveModelPatchSchema = z
  .strictObject({
    ...modelFields,
    status: z
      .enum(['ACTIVE', 'INACTIVE'])
      .openapi({ description: 'INACTIVE takes a model out of service; ACTIVE puts a trained one back' }),
  })
  .partial()
  .openapi('PredictiveModelPatch');

/** Body of `POST /predictive-models/{id}/train/`: none, `{}`, or `{force: true}`. */
export const TrainModelBody = z
  .strictObject({
    force: z.boolean().optional().openapi({
      description: 'Train even when the model is not due (default false); `?force=true` does the same',
    }),
  })
  .openapi('TrainPredictiveModel');

/**
 * Body of `POST /predictive-models/{id}/predict/`: incident fields to score, stored incidents by id,
 * or (INCIDENT_PREDICTION) a horizon in periods and optionally the group to forecast.
 */
export const PredictBody = z
  .strictObject({
    incidents: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: 'Incident fields (title, description, category, service, created_at, ...)' }),
    incident_ids: z.array(z.uuid()).min(1).max(1000).optional().openapi({ description: 'Stored incidents' }),
    horizon: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: 'INCIDENT_PREDICTION: periods ahead (days or hours, as the model counts)' }),
    group: z
      .string()
      .nullish()
      .openapi({ description: 'INCIDENT_PREDICTION grouped by service, team or category: one group' }),
  })
  .refine((b) => [b.incidents, b.incident_ids, b.horizon].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of incidents, incident_ids or horizon',
    path: ['incidents'],
  })
  .openapi('PredictRequest');

/** What `predict/` answers: the engine's prediction (per incident, or the forecast per group). */
export const PredictionSchema = z
  .object({
    model_id: z.uuid().optional(),
    version: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('ModelPrediction', {
    description:
      'Classifiers: per incident the label and class probabilities; regressors: value with lower and ' +
      'upper bounds; forecasts: per group the timestamps with mean, lower and upper',
  });

const metricsDescription =
  'Classifiers: accuracy, precision, recall, f1 (macro), per_class, confusion_matrix (rows actual, ' +
  'columns predicted). Regressors: mae, rmse, r2, mape. Forecasts: mase, smape, coverage, mae. ' +
  'Anomaly models: points, detections, and reviews (how people reviewed the anomalies stored under it).';

/** `GET /predictive-models/{id}/performance/`: the serving version's evaluation beside its baseline. */
export const PerformanceSchema = z
  .object({
    model_id: z.uuid(),
    version: z.string(),
    model_type: z.enum(modelTypes),
    algorithm_type: z.enum(algorithmTypes),
    task: z.enum(['classification', 'regression', 'forecast', 'anomaly']),
    scores: z.object({
      accuracy_score: score,
      precision_score: score,
      recall_score: score,
      f1_score: score,
    }),
    metrics: z.record(z.string(), z.unknown()).openapi({ description: metricsDescription }),
    baseline: z
      .object({
        name: z.enum(['majority_class', 'mean', 'seasonal_naive', 'none']).openapi({
          description: 'Classifiers: majority class; regressors: the mean; forecasts: seasonal naive',
        }),
        metrics: z.record(z.string(), z.unknown()).nullable(),
      })
      .openapi({ description: 'The same metrics for a naive baseline on the same held-out rows' }),
    beats_baseline: z.boolean().nullable().openapi({
      description: 'Whether the model beats its baseline on the headline metric; null: no baseline',
    }),
    verdict: z.string().openapi({ description: 'In words: whether the model earns its keep' }),
    notes: z.array(z.string()).optional(),
    feature_importance: z.record(z.string(), z.number()).nullable(),
    evaluated_on: z.object({
      train_rows: z.number().int(),
      test_rows: z.number().int(),
      train_end: z.string(),
      test_start: z.string(),
      test_end: z.string(),
    }),
    live_accuracy: z.object({
      accuracy: z.number().nullable(),
      validated_insights: z.number().int(),
    }),
  })
  .openapi('ModelPerformance');
