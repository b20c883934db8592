import type { AlgorithmType, ModelStatus, ModelType } from '../schema/enums.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import type { ModelDefinition } from './model-schema.ts';

/**
 * A predictive model as the API shows it: the spec's fields (snake_case), plus `error_message`
 * (why the last training failed, null after a success). The four scores are those of the serving
 * version (see the models README for what they hold for regressors and forecasts). `version` is
 * "0" until the first training succeeds, then "1", "2", ...; `model_file_path` locates the
 * serving artefact: `duckdb:predictive_model_versions/<model id>/<version>`.
 */
export interface PredictiveModelRecord extends ModelDefinition {
  id: string;
  accuracy_score: number | null;
  precision_score: number | null;
  recall_score: number | null;
  f1_score: number | null;
  status: ModelStatus;
  version: string;
  model_file_path: string | null;
  last_trained_at: string | null;
  training_duration_seconds: number | null;
  training_samples_count: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Beside the spec: why the last training failed; null after a success. */
  error_message: string | null;
  /** Beside the spec: a system model (the anomaly detector's), which cannot be deleted. */
  is_system_model: boolean;
}

/** The select list that reads a {@link PredictiveModelRecord} row (plus `retrain_due`). */
export const modelSelect = `id::VARCHAR AS id, name, description, model_type, algorithm_type,
  model_config::VARCHAR AS model_config, feature_columns, target_column, training_data_period_days,
  min_training_samples, accuracy_score, precision_score, recall_score, f1_score, status, version,
  model_file_path, last_trained_at, training_duration_seconds, training_samples_count,
  auto_retrain_enabled, retrain_frequency_days, performance_threshold, is_system_model,
  created_by::VARCHAR AS created_by, created_at, updated_at, error_message, coalesce(retrain_due, false) AS retrain_due`;

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);
const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** Maps a row read with {@link modelSelect}. */
export function toModelRecord(row: Row): PredictiveModelRecord {
  let config: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(String(row['model_config'] ?? '{}'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      config = parsed as Record<string, unknown>;
  } catch {
    config = {};
  }
  return {
    id: String(row['id']),
    name: String(row['name']),
    description: String(row['description'] ?? ''),
    model_type: row['model_type'] as ModelType,
    algorithm_type: row['algorithm_type'] as AlgorithmType,
    model_config: config,
    feature_columns: [...((row['feature_columns'] as string[] | null) ?? [])],
    target_column: (row['target_column'] as string | null) ?? null,
    training_data_period_days: Number(row['training_data_period_days']),
    min_training_samples: Number(row['min_training_samples']),
    accuracy_score: numberOrNull(row['accuracy_score']),
    precision_score: numberOrNull(row['precision_score']),
    recall_score: numberOrNull(row['recall_score']),
    f1_score: numberOrNull(row['f1_score']),
    status: row['status'] as ModelStatus,
    version: String(row['version']),
    model_file_path: (row['model_file_path'] as string | null) ?? null,
    last_trained_at: iso(row['last_trained_at']),
    training_duration_seconds: numberOrNull(row['training_duration_seconds']),
    training_samples_count: numberOrNull(row['training_samples_count']),
    auto_retrain_enabled: Boolean(row['auto_retrain_enabled']),
    retrain_frequency_days: Number(row['retrain_frequency_days']),
    performance_threshold: Number(row['performance_threshold']),
    created_by: (row['created_by'] as string | null) ?? null,
    created_at: iso(row['created_at']) as string,
    updated_at: iso(row['updated_at']) as string,
    error_message: (row['error_message'] as string | null) ?? null,
    is_system_model: Boolean(row['is_system_model']),
  };
}

/** Where the artefact of a model's version is stored (a locator, not a file). */
export function modelFilePath(modelId: string, version: number): string {
  return `duckdb:predictive_model_versions/${modelId}/${version}`;
}

/** The filters of `engine.models.list`. */
export type ModelListFilters = {
  readonly model_type?: string | undefined;
  readonly status?: string | undefined;
};

/** How models are listed: filters model_type and status, search in name and description. */
export const modelListSpec: ListSpec = {
  from: 'predictive_models',
  select: modelSelect,
  filters: {
    model_type: { column: 'model_type', op: 'eq' },
    status: { column: 'status', op: 'eq' },
  },
  orderable: {
    name: 'name',
    created_at: 'created_at',
    updated_at: 'updated_at',
    last_trained_at: 'last_trained_at',
    accuracy_score: 'accuracy_score',
    model_type: 'model_type',
    status: 'status',
  },
  searchable: ['name', 'description'],
  defaultOrdering: '-created_at',
};
