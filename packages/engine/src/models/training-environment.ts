import type { AnomalyService } from '../anomaly/anomaly-service.ts';
import { EngineError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { ModelArtifact } from './model-artifact.ts';
import type { ModelLearners } from './model-learners.ts';
import type { ModelPerformanceReport } from './model-performance.ts';
import type { PredictiveModelRecord } from './model-record.ts';

/** What a training needs besides the model: the data, the workers, the clock and the learners. */
export interface TrainingEnvironment {
  readonly db: Database;
  readonly pool: WorkerPool;
  readonly learners: ModelLearners;
  /** The engine's clock at the start of the training: the training window ends here. */
  readonly now: Date;
  readonly anomalies: () => AnomalyService;
  readonly signal?: AbortSignal | undefined;
  readonly progress: (message: string) => void;
}

/** What a training produced: the artefact to store, its evaluation and the rows it learnt from. */
export interface TrainingResult {
  readonly artifact: ModelArtifact;
  readonly performance: ModelPerformanceReport;
  readonly samples: number;
}

const dayMs = 86_400_000;

/** The training window: `training_data_period_days` days before the clock. */
export function trainingWindow(model: PredictiveModelRecord, now: Date): { start: Date; end: Date } {
  return { start: new Date(now.getTime() - model.training_data_period_days * dayMs), end: now };
}

/** INSUFFICIENT_DATA with the count found and the count required. */
export function tooFewSamples(found: number, required: number, what = 'training samples'): EngineError {
  return new EngineError(
    'INSUFFICIENT_DATA',
    `${found} ${what} in the training window, at least ${required} needed`,
    { samples: found, min_training_samples: required },
  );
}

/** Throws CANCELLED once the training's job is cancelled or its runner stops. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'the training was stopped before it finished');
}
