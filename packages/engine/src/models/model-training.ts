import { anomalyModelConfigSchema } from '../anomaly/persist/anomaly-model.ts';
import { EngineError } from '../errors.ts';
import type { TabularRow } from './learn/types.ts';
import { trainForecaster } from './model-forecasting.ts';
import type { ClassificationMetrics, ModelLearners, RegressionMetrics } from './model-learners.ts';
import {
  classificationScores,
  compareWithBaseline,
  type ModelPerformanceReport,
  regressionScores,
} from './model-performance.ts';
import type { PredictiveModelRecord } from './model-record.ts';
import {
  checkAborted,
  type TrainingEnvironment,
  type TrainingResult,
  tooFewSamples,
  trainingWindow,
} from './training-environment.ts';

/**
 * Trains one model on the data of its training window and evaluates it (see the models README):
 * tabular models on a time split (older rows train, the newest 20% evaluate, then the model is
 * refitted on every row), forecasters on the last 7 days, anomaly models by running their detector
 * over the window.
 *
 * @throws EngineError INSUFFICIENT_DATA (too few samples, with the count; no cost analyses yet),
 *   VALIDATION_ERROR for a stored definition that no longer checks, CANCELLED.
 */
export async function trainModelVersion(
  model: PredictiveModelRecord,
  env: TrainingEnvironment,
): Promise<TrainingResult> {
  if (model.model_type === 'ANOMALY_DETECTION') return trainAnomalyModel(model, env);
  if (model.model_type === 'INCIDENT_PREDICTION') return trainForecaster(model, env);
  return trainTabular(model, env);
}

async function trainTabular(model: PredictiveModelRecord, env: TrainingEnvironment): Promise<TrainingResult> {
  const { learners, db } = env;
  const target = model.target_column;
  const definition = learners.targetsOf(model.model_type).find((t) => t.name === target);
  if (!target || !definition || definition.task === 'forecast') {
    throw new EngineError('VALIDATION_ERROR', `model ${model.id} has no target its type can learn`, {
      target_column: target,
    });
  }
  const task = definition.task;
  if (model.model_type === 'COST_PREDICTION') {
    const costs = await db.one('SELECT count(*)::INTEGER AS n FROM cost_analyses');
    if (Number(costs?.['n'] ?? 0) === 0) {
      throw new EngineError('INSUFFICIENT_DATA', 'no cost analyses yet', { samples: 0 });
    }
  }
  const { start, end } = trainingWindow(model, env.now);
  env.progress('reading training rows');
  const read = await learners.readTrainingRows(db, {
    modelType: model.model_type,
    features: model.feature_columns,
    target,
    start,
    end,
  });
  const rows = read.rows;
  if (rows.length < Math.max(model.min_training_samples, 10)) {
    throw tooFewSamples(rows.length, Math.max(model.min_training_samples, 10));
  }
  const split = learners.splitByTime(rows.length);
  const trainRows = rows.slice(split.train[0], split.train[1]);
  const testRows = rows.slice(split.test[0], split.test[1]);
  const spec = {
    algorithm: model.algorithm_type as 'RANDOM_FOREST' | 'XGBOOST' | 'SVM' | 'NEURAL_NETWORK',
    task,
    target,
    features: read.featureNames,
    config: model.model_config,
    seed: 1,
  } as const;
  checkAborted(env.signal);
  env.progress(`training on ${trainRows.length} rows, evaluating on ${testRows.length}`);
  const evaluated = await learners.trainModel(trainRows, spec, { pool: env.pool });
  checkAborted(env.signal);
  const predictions = await learners.predict(evaluated, testRows, { pool: env.pool });
  const evaluation =
    task === 'classification'
      ? evaluateClassifier(learners, trainRows, testRows, predictions as { label: string }[], target)
      : evaluateRegressor(learners, trainRows, testRows, predictions as { value: number }[], target);
  checkAborted(env.signal);
  // The served model is refitted on every row: the evaluation scores the procedure on the newest
  // 20% held out; the refit also learns from those newest incidents.
  env.progress(`refitting on all ${rows.length} rows`);
  const final = await learners.trainModel(rows, spec, { pool: env.pool });
  const at = (i: number): string => new Date(read.createdAt[i] ?? end.getTime()).toISOString();
  const performance: ModelPerformanceReport = {
    ...evaluation,
    feature_importance: final.featureImportance ? { ...final.featureImportance } : null,
    evaluated_on: {
      train_rows: trainRows.length,
      test_rows: testRows.length,
      train_end: at(split.train[1] - 1),
      test_start: at(split.test[0]),
      test_end: at(split.test[1] - 1),
    },
    notes: [],
  };
  return {
    artifact: {
      kind: 'tabular',
      model_type: model.model_type,
      features: model.feature_columns,
      model: final,
    },
    performance,
    samples: rows.length,
  };
}

type Evaluation = Omit<ModelPerformanceReport, 'feature_importance' | 'evaluated_on' | 'notes'>;

function evaluateClassifier(
  learners: ModelLearners,
  trainRows: readonly TabularRow[],
  testRows: readonly TabularRow[],
  predictions: readonly { label: string }[],
  target: string,
): Evaluation {
  const label = (row: TabularRow): string => String(row[target]);
  const actual = testRows.map(label);
  const trainLabels = trainRows.map(label);
  const labels = [...new Set([...trainLabels, ...actual])].sort();
  const metrics: ClassificationMetrics = learners.classificationMetrics(
    actual,
    predictions.map((p) => p.label),
    labels,
  );
  const baseline = learners.classificationMetrics(
    actual,
    learners.majorityBaseline(trainLabels, actual.length),
    labels,
  );
  const { beats, verdict } = compareWithBaseline('classification', metrics, baseline);
  return {
    task: 'classification',
    scores: classificationScores(metrics),
    metrics,
    baseline: { name: 'majority_class', metrics: baseline },
    beats_baseline: beats,
    verdict,
  };
}

function evaluateRegressor(
  learners: ModelLearners,
  trainRows: readonly TabularRow[],
  testRows: readonly TabularRow[],
  predictions: readonly { value: number }[],
  target: string,
): Evaluation {
  const value = (row: TabularRow): number => Number(row[target]);
  const actual = testRows.map(value);
  const metrics: RegressionMetrics = learners.regressionMetrics(
    actual,
    predictions.map((p) => p.value),
  );
  const baseline = learners.regressionMetrics(
    actual,
    learners.meanBaseline(trainRows.map(value), actual.length),
  );
  const { beats, verdict } = compareWithBaseline('regression', metrics, baseline);
  return {
    task: 'regression',
    scores: regressionScores(metrics),
    metrics,
    baseline: { name: 'mean', metrics: baseline },
    beats_baseline: beats,
    verdict,
  };
}

/**
 * ANOMALY_DETECTION: the configuration is checked with the anomaly capability's schema and its
 * detector runs over the hourly incident counts of the training window (read-only); what it found
 * is the version's performance. Anomaly runs read the model's configuration by id.
 */
async function trainAnomalyModel(
  model: PredictiveModelRecord,
  env: TrainingEnvironment,
): Promise<TrainingResult> {
  const parsed = anomalyModelConfigSchema.safeParse(model.model_config);
  if (!parsed.success) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `model ${model.id} has an invalid anomaly detection configuration`,
      {
        issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      },
    );
  }
  const { start, end } = trainingWindow(model, env.now);
  env.progress('reading hourly incident counts');
  const [series] = await env.learners.readCountSeries(env.db, {
    granularity: 'hour',
    start,
    end,
    groupBy: null,
  });
  const values = series?.values ?? [];
  const incidents = values.reduce((s, v) => s + v, 0);
  if (incidents < model.min_training_samples)
    throw tooFewSamples(incidents, model.min_training_samples, 'incidents');
  checkAborted(env.signal);
  env.progress(`running the detector over ${values.length} hours`);
  const detections = await env
    .anomalies()
    .detect([{ key: 'incident_count:hour', timestamps: series?.timestamps ?? [], values }], {
      sensitivity: parsed.data.sensitivity,
    });
  const points = values.length;
  return {
    artifact: { kind: 'anomaly', config: parsed.data },
    performance: {
      task: 'anomaly',
      scores: { accuracy_score: null, precision_score: null, recall_score: null, f1_score: null },
      metrics: {
        points,
        detections: detections.length,
        detections_per_1000_points: points > 0 ? (1000 * detections.length) / points : 0,
      },
      baseline: { name: 'none', metrics: null },
      beats_baseline: null,
      verdict: `found ${detections.length} anomalies in ${points} hours of the training window; without labelled anomalies there is no baseline to compare with`,
      feature_importance: null,
      evaluated_on: {
        train_rows: points,
        test_rows: 0,
        train_end: end.toISOString(),
        test_start: start.toISOString(),
        test_end: end.toISOString(),
      },
      notes: [],
    },
    samples: incidents,
  };
}
