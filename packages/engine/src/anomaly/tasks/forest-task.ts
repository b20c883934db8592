import { isolationForest } from '../kernels/isolation-forest.ts';

/** Payload of the isolation-forest worker task: a row-major feature matrix and the forest settings. */
export interface ForestPayload {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly trees: number;
  readonly sampleSize: number;
  readonly seed: number;
}

/** Name of the worker task that runs {@link forestScores}. */
export const forestTaskName = 'anomaly.isolation-forest';

/** Worker task: isolation-forest scores of every row (kernel `isolationForest`). Pure. */
export function forestScores(payload: ForestPayload): Float64Array {
  return isolationForest(
    { data: payload.data, rows: payload.rows, cols: payload.cols },
    { trees: payload.trees, sampleSize: payload.sampleSize, seed: payload.seed },
  );
}
