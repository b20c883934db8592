import type { Migration } from '../store/migrations.ts';

/**
 * Migration 4: trained versions of the predictive models and the predictions stored on incidents.
 *
 * - `predictive_model_versions`: one row per training that succeeded: the artefact (JSON of the
 *   trained model or forecaster state, gzip-compressed when large, `artifact_encoding` says which),
 *   the evaluation (`metrics`, the performance report as JSON), when and on how many rows it was
 *   trained, how long it took and the job that trained it.
 * - `incident_predictions`: the newest prediction of each kind (`severity`, `escalation`,
 *   `resolution_time`) for an incident, with the model and version that made it, indexed by
 *   incident so that a page of incidents reads its predictions by id.
 * - `predictive_models.error_message`: why the last training failed (null after a success);
 *   `retrain_due`: the configuration changed since the serving version was trained.
 */
export const modelsMigration: Migration = {
  version: 4,
  name: 'predictive model versions and incident predictions',
  statements: [
    `CREATE TABLE predictive_model_versions (
      model_id UUID NOT NULL,
      version INTEGER NOT NULL,
      artifact BLOB NOT NULL,
      artifact_encoding VARCHAR NOT NULL,
      metrics JSON NOT NULL,
      trained_at TIMESTAMP NOT NULL,
      training_rows INTEGER NOT NULL,
      duration_seconds DOUBLE NOT NULL,
      job_id VARCHAR,
      PRIMARY KEY (model_id, version)
    )`,
    `CREATE TABLE incident_predictions (
      incident_id UUID NOT NULL,
      model_id UUID NOT NULL,
      version INTEGER NOT NULL,
      prediction_type VARCHAR NOT NULL,
      value JSON NOT NULL,
      predicted_at TIMESTAMP NOT NULL,
      PRIMARY KEY (incident_id, prediction_type)
    )`,
    // Incident pages read their predictions by id (an index scan, not a scan of every prediction).
    'CREATE INDEX incident_predictions_incident ON incident_predictions (incident_id)',
    'ALTER TABLE predictive_models ADD COLUMN error_message VARCHAR',
    'ALTER TABLE predictive_models ADD COLUMN retrain_due BOOLEAN DEFAULT false',
  ],
};
