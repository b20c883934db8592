import { type ColumnBatch, unpackColumns, widthOf } from '../../workers/column-batch.ts';
import { isolationForest } from '../kernels/isolation-forest.ts';

/** The column of the forest's batch: one row per window, its features row-major (`cols` wide). */
type FeatureColumns = { features: Float64Array };

/** Payload of the isolation-forest worker task: the feature matrix and the forest settings. */
export interface ForestPayload {
  /** One row per window; column `features` is as wide as there are features. */
  readonly windows: ColumnBatch<FeatureColumns>;
  readonly trees: number;
  readonly sampleSize: number;
  readonly seed: number;
}

/** Name of the worker task that runs {@link forestScores}. */
export const forestTaskName = 'anomaly.isolation-forest';

/** Worker task: isolation-forest scores of every row (kernel `isolationForest`). Pure. */
export function forestScores(payload: ForestPayload): Float64Array {
  const { features } = unpackColumns(payload.windows, { features: Float64Array });
  return isolationForest(
    { data: features, rows: payload.windows.rows, cols: widthOf(payload.windows, 'features') },
    { trees: payload.trees, sampleSize: payload.sampleSize, seed: payload.seed },
  );
}
