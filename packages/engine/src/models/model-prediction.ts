import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { type ForecastPrediction, forecastFromArtifact } from './forecasters.ts';
import type { ForecastArtifact, TabularArtifact } from './model-artifact.ts';
import type { ModelLearners } from './model-learners.ts';
import type { PredictiveModelRecord } from './model-record.ts';
import { type PredictionValue, predictionValue } from './model-scoring.ts';
import { readArtifact } from './model-store.ts';

/** What `predict` takes: incident fields, stored incident ids, or a forecast horizon and group. */
export interface PredictRequest {
  incidents?: Record<string, unknown>[];
  incident_ids?: string[];
  horizon?: number;
  group?: string | null;
}

/** What `predict` answers: per incident its prediction, or per group its forecast. */
export interface ModelPrediction {
  model_id: string;
  version: string;
  model_type: PredictiveModelRecord['model_type'];
  algorithm_type: PredictiveModelRecord['algorithm_type'];
  /** Tabular models: one per incident given, in order (`incident_id` when given by id). */
  predictions?: (PredictionValue & { incident_id?: string })[];
  /** INCIDENT_PREDICTION: one forecast per group. */
  forecasts?: ForecastPrediction[];
}

/** Predicts with the serving version of `model` (trained); see `ModelService.predict`. */
export async function predictWithModel(
  context: EngineContext,
  learners: ModelLearners,
  model: PredictiveModelRecord,
  input: PredictRequest,
): Promise<ModelPrediction> {
  const head = {
    model_id: model.id,
    version: model.version,
    model_type: model.model_type,
    algorithm_type: model.algorithm_type,
  };
  if (model.model_type === 'ANOMALY_DETECTION') {
    throw new EngineError(
      'UNSUPPORTED',
      'an anomaly model predicts through anomaly detection runs (run_anomaly_detection with its model_id)',
      { id: model.id },
    );
  }
  if (model.model_type === 'INCIDENT_PREDICTION') {
    const horizon = input.horizon ?? Number((model.model_config['horizon'] as number | undefined) ?? 7);
    return { ...head, forecasts: await forecastWithModel(context, learners, model, horizon, input.group) };
  }
  const artifact = (await readArtifact(context.db, model.id, Number(model.version))) as TabularArtifact;
  if (input.incident_ids) {
    const read = await learners.readIncidentFeatures(context.db, input.incident_ids, artifact.features);
    const predictions = await learners.predict(artifact.model, read.rows, { pool: context.pool });
    return {
      ...head,
      predictions: predictions.map((p, i) => ({
        incident_id: read.ids[i] as string,
        ...predictionValue(model.model_type, p),
      })),
    };
  }
  if (!input.incidents || input.incidents.length === 0 || input.incidents.length > 1000) {
    throw new EngineError('VALIDATION_ERROR', 'give 1 to 1000 incidents (their fields) or incident_ids', {
      field: 'incidents',
    });
  }
  const rows = input.incidents.map((fields) => learners.featuresOfFields(fields, artifact.features));
  const predictions = await learners.predict(artifact.model, rows, { pool: context.pool });
  return { ...head, predictions: predictions.map((p) => predictionValue(model.model_type, p)) };
}

/**
 * Forecasts `horizon` periods (1 to 1000) with an INCIDENT_PREDICTION model's serving version.
 *
 * @throws EngineError VALIDATION_ERROR for a bad horizon; NOT_FOUND for an unknown group.
 */
export async function forecastWithModel(
  context: EngineContext,
  learners: ModelLearners,
  model: PredictiveModelRecord,
  horizon: number,
  group?: string | null,
): Promise<ForecastPrediction[]> {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000) {
    throw new EngineError('VALIDATION_ERROR', 'horizon must be a whole number from 1 to 1000', {
      field: 'horizon',
      value: horizon,
    });
  }
  const artifact = (await readArtifact(context.db, model.id, Number(model.version))) as ForecastArtifact;
  const env = { db: context.db, learners, pool: context.pool, now: context.now() };
  return forecastFromArtifact(artifact, env, horizon, group);
}
