import { EngineError } from '../errors.ts';
import { modelStatuses, modelTypes } from '../schema/enums.ts';
import type { Database } from '../store/database.ts';
import type { ModelListFilters } from './model-record.ts';
import type { ModelDefinition } from './model-schema.ts';

/**
 * Checks list filters: `model_type` and `status` must be values of the spec's enums.
 *
 * @throws EngineError VALIDATION_ERROR naming the filter and its accepted values.
 */
export function checkFilters(filters: ModelListFilters): ModelListFilters {
  const check = (name: 'model_type' | 'status', accepted: readonly string[]): void => {
    const value = filters[name];
    if (value !== undefined && !accepted.includes(value)) {
      throw new EngineError('VALIDATION_ERROR', `${name} must be one of ${accepted.join(', ')}`, {
        parameter: name,
        accepted,
      });
    }
  };
  check('model_type', modelTypes);
  check('status', modelStatuses);
  return filters;
}

function definitionParams(d: ModelDefinition) {
  return {
    name: d.name,
    description: d.description,
    model_type: d.model_type,
    algorithm_type: d.algorithm_type,
    config: JSON.stringify(d.model_config),
    features: d.feature_columns,
    target: d.target_column ?? undefined,
    days: d.training_data_period_days,
    min: d.min_training_samples,
    auto: d.auto_retrain_enabled,
    every: d.retrain_frequency_days,
    threshold: d.performance_threshold,
  };
}

/** Inserts a new model: status INACTIVE, version "0". */
export async function insertModel(
  db: Database,
  id: string,
  d: ModelDefinition,
  createdBy: string | null,
  now: Date,
): Promise<void> {
  await db.run(
    `INSERT INTO predictive_models (id, name, description, model_type, algorithm_type, model_config, feature_columns,
       target_column, training_data_period_days, min_training_samples, status, version, auto_retrain_enabled,
       retrain_frequency_days, performance_threshold, is_system_model, created_by, created_at, updated_at, retrain_due)
     VALUES ($id::UUID, $name, $description, $model_type, $algorithm_type, $config::JSON, $features::VARCHAR[],
       $target::VARCHAR, $days, $min, 'INACTIVE', '0', $auto, $every, $threshold, false, $by::UUID, $now, $now, false)`,
    { id, ...definitionParams(d), by: createdBy ?? undefined, now },
  );
}

/** Writes a model's definition, and its status and retrain mark when given. */
export async function updateModel(
  db: Database,
  id: string,
  d: ModelDefinition,
  options: { status: 'ACTIVE' | 'INACTIVE' | undefined; retrainDue: boolean; now: Date },
): Promise<void> {
  await db.run(
    `UPDATE predictive_models SET name = $name, description = $description, model_type = $model_type,
       algorithm_type = $algorithm_type, model_config = $config::JSON, feature_columns = $features::VARCHAR[],
       target_column = $target::VARCHAR, training_data_period_days = $days, min_training_samples = $min,
       auto_retrain_enabled = $auto, retrain_frequency_days = $every, performance_threshold = $threshold,
       status = coalesce($status::VARCHAR, status), retrain_due = coalesce(retrain_due, false) OR $due,
       updated_at = $now
     WHERE id = $id::UUID`,
    { id, ...definitionParams(d), status: options.status, due: options.retrainDue, now: options.now },
  );
}
