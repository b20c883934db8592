import type { AnomalyService } from '../anomaly/anomaly-service.ts';
import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import type { ModelStatus } from '../schema/enums.ts';
import type { ModelLearners } from './model-learners.ts';
import type { ModelScores } from './model-performance.ts';
import { modelFilePath, modelSelect, type PredictiveModelRecord, toModelRecord } from './model-record.ts';
import { insertVersion, latestVersion } from './model-store.ts';
import { trainModelVersion } from './model-training.ts';

/** What one training did: the model's status and version after it, the scores and the baseline. */
export interface TrainingOutcome {
  model_id: string;
  name: string;
  model_type: PredictiveModelRecord['model_type'];
  algorithm_type: PredictiveModelRecord['algorithm_type'];
  status: ModelStatus;
  /** The serving version after the training ("0" when none). */
  version: string;
  samples: number;
  duration_seconds: number;
  scores: ModelScores;
  /** The baseline's values of the four scores (same definitions as the model's). */
  baseline: Record<string, number | null>;
  beats_baseline: boolean | null;
  /** Why the training failed; the model kept its previous version (or went to ERROR when it had none). */
  error?: { code: string; message: string };
}

/** Options of one training. */
export interface TrainNowOptions {
  readonly signal?: AbortSignal | undefined;
  readonly progress?: ((p: { done: number; total: number; message: string }) => void) | undefined;
  readonly jobId?: string | undefined;
}

const emptyScores: ModelScores = {
  accuracy_score: null,
  precision_score: null,
  recall_score: null,
  f1_score: null,
};

/** The serving version number of a record (0: never trained). */
export function servingVersion(model: PredictiveModelRecord): number {
  const v = Number(model.version);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

async function readModel(context: EngineContext, id: string): Promise<PredictiveModelRecord> {
  const row = await context.db.one(`SELECT ${modelSelect} FROM predictive_models WHERE id = $id::UUID`, {
    id,
  });
  if (!row) throw new EngineError('NOT_FOUND', `predictive model ${id} was not found`, { id });
  return toModelRecord(row);
}

/**
 * Trains `model` now and stores the result. Status: a model without a serving version goes
 * TRAINING → ACTIVE, or ERROR with the reason in `error_message`; a model with one goes RETRAINING
 * (the old version keeps serving) → ACTIVE on the new version, or back to its status on the old
 * version with the error recorded. The new version, the model row and the
 * MODEL_TRAINING_COMPLETED event are written in one transaction. A failed training is an outcome
 * with `error`, not a throw; a cancelled one restores the status and throws CANCELLED.
 */
export async function trainAndStore(
  context: EngineContext,
  learners: ModelLearners,
  model: PredictiveModelRecord,
  options: TrainNowOptions = {},
): Promise<TrainingOutcome> {
  const serving = servingVersion(model);
  const restingStatus: ModelStatus =
    serving > 0 ? (model.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE') : 'INACTIVE';
  const startedAt = context.now();
  await context.db.run(
    'UPDATE predictive_models SET status = $status, updated_at = $now WHERE id = $id::UUID',
    { id: model.id, status: serving > 0 ? 'RETRAINING' : 'TRAINING', now: startedAt },
  );
  const clock = performance.now();
  let step = 0;
  const total = 4;
  const progress = (message: string): void => {
    step = Math.min(step + 1, total - 1);
    options.progress?.({ done: step, total, message: `${model.name}: ${message}` });
  };
  try {
    const result = await trainModelVersion(model, {
      db: context.db,
      pool: context.pool,
      learners,
      now: startedAt,
      anomalies: () => context.services['anomalies'] as AnomalyService,
      signal: options.signal,
      progress,
    });
    const duration = (performance.now() - clock) / 1000;
    const finishedAt = context.now();
    const version = await context.db.transaction(async (tx) => {
      const next = Math.max(await latestVersion(tx, model.id), serving) + 1;
      await insertVersion(
        tx,
        {
          model_id: model.id,
          version: next,
          performance: result.performance,
          trained_at: finishedAt,
          training_rows: result.samples,
          duration_seconds: duration,
          job_id: options.jobId ?? null,
        },
        result.artifact,
      );
      const s = result.performance.scores;
      await tx.run(
        `UPDATE predictive_models SET status = 'ACTIVE', version = $version, model_file_path = $path,
           accuracy_score = $acc::DOUBLE, precision_score = $prec::DOUBLE, recall_score = $rec::DOUBLE, f1_score = $f1::DOUBLE,
           metrics = $metrics::JSON, last_trained_at = $at, training_duration_seconds = $duration,
           training_samples_count = $samples, error_message = NULL,
           retrain_due = (updated_at > $started), updated_at = $at
         WHERE id = $id::UUID`,
        {
          id: model.id,
          version: String(next),
          path: modelFilePath(model.id, next),
          acc: s.accuracy_score ?? undefined,
          prec: s.precision_score ?? undefined,
          rec: s.recall_score ?? undefined,
          f1: s.f1_score ?? undefined,
          metrics: JSON.stringify(result.performance),
          at: finishedAt,
          duration: Math.round(duration),
          samples: result.samples,
          started: startedAt,
        },
      );
      await context.events.append(tx, 'MODEL_TRAINING_COMPLETED', {
        model_id: model.id,
        name: model.name,
        model_type: model.model_type,
        algorithm_type: model.algorithm_type,
        version: String(next),
        ...s,
        beats_baseline: result.performance.beats_baseline,
        training_samples_count: result.samples,
        training_duration_seconds: Math.round(duration),
      });
      return next;
    });
    return {
      model_id: model.id,
      name: model.name,
      model_type: model.model_type,
      algorithm_type: model.algorithm_type,
      status: 'ACTIVE',
      version: String(version),
      samples: result.samples,
      duration_seconds: duration,
      scores: result.performance.scores,
      baseline: baselineScores(result.performance),
      beats_baseline: result.performance.beats_baseline,
    };
  } catch (error) {
    const code = error instanceof EngineError ? error.code : 'INTERNAL';
    const message =
      error instanceof Error ? error.message.split('\n')[0]?.trim() || String(error) : String(error);
    const status: ModelStatus = code === 'CANCELLED' || serving > 0 ? restingStatus : 'ERROR';
    await context.db.run(
      'UPDATE predictive_models SET status = $status, error_message = $message, updated_at = $now WHERE id = $id::UUID',
      { id: model.id, status, message: `${code}: ${message}`, now: context.now() },
    );
    if (code === 'CANCELLED') throw error;
    const after = await readModel(context, model.id);
    return {
      model_id: model.id,
      name: model.name,
      model_type: model.model_type,
      algorithm_type: model.algorithm_type,
      status: after.status,
      version: after.version,
      samples: error instanceof EngineError ? sampleCount(error.details) : 0,
      duration_seconds: (performance.now() - clock) / 1000,
      scores: emptyScores,
      baseline: {},
      beats_baseline: null,
      error: { code, message },
    };
  }
}

function sampleCount(details: unknown): number {
  const n = (details as { samples?: unknown } | null | undefined)?.samples;
  return typeof n === 'number' ? n : 0;
}

/** The baseline's four scores, computed with the model's definitions (see `model-performance.ts`). */
function baselineScores(report: {
  task: string;
  baseline: { metrics: unknown };
}): Record<string, number | null> {
  const m = report.baseline.metrics as Record<string, number | null> | null;
  if (!m) return {};
  if (report.task === 'classification') {
    return {
      accuracy_score: m['accuracy'] ?? null,
      precision_score: m['precision'] ?? null,
      recall_score: m['recall'] ?? null,
      f1_score: m['f1'] ?? null,
    };
  }
  if (report.task === 'regression')
    return { accuracy_score: Math.max(0, m['r2'] ?? 0), mae: m['mae'] ?? null };
  return { accuracy_score: Math.max(0, 1 - (m['smape'] ?? 200) / 200), mase: m['mase'] ?? null };
}
