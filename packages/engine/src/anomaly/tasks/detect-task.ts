import type { Detection, DetectOptions } from '../detect/detect.ts';
import { detectSeriesAnomalies } from '../detect/detect.ts';

/**
 * A batch of series packed for a worker: keys, and all timestamps and values concatenated into two
 * `Float64Array`s whose buffers are transferred (not cloned). Series i spans
 * `[offsets[i], offsets[i + 1])`.
 */
export interface DetectBatch {
  readonly keys: string[];
  readonly offsets: Int32Array;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly options: DetectOptions;
}

/** Name of the worker task that runs {@link detectBatch}. */
export const detectTaskName = 'anomaly.detect';

/** Worker task: runs {@link detectSeriesAnomalies} over every series of a batch. Pure. */
export function detectBatch(batch: DetectBatch): Detection[] {
  const out: Detection[] = [];
  for (let i = 0; i < batch.keys.length; i++) {
    const from = batch.offsets[i]!;
    const to = batch.offsets[i + 1]!;
    out.push(
      ...detectSeriesAnomalies(
        {
          key: batch.keys[i]!,
          timestamps: batch.timestamps.subarray(from, to),
          values: batch.values.subarray(from, to),
        },
        batch.options,
      ),
    );
  }
  return out;
}
