import type { EngineContext } from '../context.ts';
import type { ModelType } from '../schema/enums.ts';
import type { TabularPrediction } from './learn/types.ts';
import type { TabularArtifact } from './model-artifact.ts';
import type { ModelLearners } from './model-learners.ts';
import { modelSelect, type PredictiveModelRecord, toModelRecord } from './model-record.ts';
import { readArtifact } from './model-store.ts';

/** The prediction stored on an incident by each scoring model type. */
export const predictionTypes: Readonly<Partial<Record<ModelType, string>>> = {
  SEVERITY_PREDICTION: 'severity',
  ESCALATION_PREDICTION: 'escalation',
  RESOLUTION_TIME_PREDICTION: 'resolution_time',
};

/**
 * One prediction as stored and shown: severity `{ label, probabilities }`, escalation
 * `{ probability, label }` (probability of `true`), resolution time `{ value, lower, upper, unit:
 * 'hours' }` (a 90% interval).
 */
export type PredictionValue = Record<string, unknown>;

/** A stored prediction with the model and version that made it. */
export interface IncidentPrediction {
  value: PredictionValue;
  model_id: string;
  version: string;
  predicted_at: string;
}

/** Turns a tabular prediction into the stored value of `type`. */
export function predictionValue(modelType: ModelType, p: TabularPrediction): PredictionValue {
  if ('label' in p) {
    if (modelType === 'ESCALATION_PREDICTION') {
      return { probability: p.probabilities['true'] ?? 0, label: p.label };
    }
    return { label: p.label, probabilities: { ...p.probabilities } };
  }
  const unit = modelType === 'RESOLUTION_TIME_PREDICTION' ? { unit: 'hours' } : {};
  return { value: p.value, lower: p.lower, upper: p.upper, ...unit };
}

/** The ACTIVE scoring models, one per prediction type (the most recently trained). */
export async function scoringModels(context: EngineContext): Promise<PredictiveModelRecord[]> {
  const rows = await context.db.all(
    `SELECT ${modelSelect} FROM predictive_models
     WHERE status IN ('ACTIVE', 'RETRAINING') AND version <> '0' AND list_contains($types, model_type)
     ORDER BY last_trained_at DESC NULLS LAST, created_at DESC`,
    { types: Object.keys(predictionTypes) },
  );
  const seen = new Set<string>();
  return rows.map(toModelRecord).filter((m) => !seen.has(m.model_type) && seen.add(m.model_type));
}

const batch = 2000;

/**
 * Predicts with `model`'s serving version for the incidents `ids` and stores one prediction per
 * incident (replacing the previous one of the type). Returns the predictions stored.
 */
export async function scoreWith(
  context: EngineContext,
  learners: ModelLearners,
  model: PredictiveModelRecord,
  ids: readonly string[],
): Promise<number> {
  const type = predictionTypes[model.model_type];
  if (!type || ids.length === 0) return 0;
  const artifact = (await readArtifact(context.db, model.id, Number(model.version))) as TabularArtifact;
  let stored = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const read = await learners.readIncidentFeatures(context.db, ids.slice(i, i + batch), artifact.features);
    if (read.ids.length === 0) continue;
    const predictions = await learners.predict(artifact.model, read.rows, { pool: context.pool });
    const values = predictions.map((p) => JSON.stringify(predictionValue(model.model_type, p)));
    await context.db.run(
      `INSERT OR REPLACE INTO incident_predictions
       SELECT unnest($ids)::UUID, $model::UUID, $version, $type, unnest($values)::JSON, $now`,
      { ids: read.ids, values, model: model.id, version: Number(model.version), type, now: context.now() },
    );
    stored += read.ids.length;
  }
  return stored;
}

/** Incidents without a prediction of `type`, newest first, at most `limit`. */
export async function unscoredIncidents(
  context: EngineContext,
  type: string,
  limit: number,
): Promise<string[]> {
  const rows = await context.db.all(
    `SELECT i.id::VARCHAR AS id FROM incidents i
     WHERE NOT EXISTS (SELECT 1 FROM incident_predictions p WHERE p.incident_id = i.id AND p.prediction_type = $type)
     ORDER BY i.created_at DESC, i.id LIMIT $limit`,
    { type, limit },
  );
  return rows.map((r) => String(r['id']));
}

/** The stored predictions of incidents `ids`, by incident id and prediction type. */
export async function readPredictions(
  context: EngineContext,
  ids: readonly string[],
): Promise<Record<string, Record<string, IncidentPrediction>>> {
  const out: Record<string, Record<string, IncidentPrediction>> = {};
  if (ids.length === 0) return out;
  const rows = await context.db.all(
    `SELECT incident_id::VARCHAR AS incident, prediction_type, value::VARCHAR AS value, model_id::VARCHAR AS model,
       version, predicted_at FROM incident_predictions WHERE incident_id = ANY($ids::UUID[])
     ORDER BY incident, prediction_type`,
    { ids: [...ids] },
  );
  for (const row of rows) {
    const incident = String(row['incident']);
    out[incident] ??= {};
    out[incident][String(row['prediction_type'])] = {
      value: JSON.parse(String(row['value'])) as PredictionValue,
      model_id: String(row['model']),
      version: String(row['version']),
      predicted_at: (row['predicted_at'] as Date).toISOString(),
    };
  }
  return out;
}
