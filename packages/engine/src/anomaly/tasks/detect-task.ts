import { EngineError } from '../../errors.ts';
import { type ColumnBatch, segment, segmentCount, unpackColumns } from '../../workers/column-batch.ts';
import type { Detection, DetectOptions } from '../detect/detect.ts';
import { detectSeriesAnomalies } from '../detect/detect.ts';

/** The columns of a batch of series: all timestamps and all values, series after series. */
type SeriesColumns = { timestamps: Float64Array; values: Float64Array };

/** The column types of {@link SeriesColumns}, as `packSegments` and `unpackColumns` take them. */
export const seriesColumnTypes = { timestamps: Float64Array, values: Float64Array } as const;

/**
 * A batch of series packed for a worker: their keys, and their timestamps and values as one
 * column batch with one segment per series (series i is segment i; `packSegments`), whose buffers
 * are moved, not cloned.
 */
export interface DetectBatch {
  readonly keys: string[];
  readonly series: ColumnBatch<SeriesColumns>;
  readonly options: DetectOptions;
}

/** Name of the worker task that runs {@link detectBatch}. */
export const detectTaskName = 'anomaly.detect';

/**
 * Worker task: runs {@link detectSeriesAnomalies} over every series of a batch. Pure.
 *
 * @throws EngineError VALIDATION_ERROR when the batch's columns are not `timestamps` and `values`
 *   of one length, or its keys do not name its series one for one.
 */
export function detectBatch(batch: DetectBatch): Detection[] {
  unpackColumns(batch.series, seriesColumnTypes);
  if (batch.keys.length !== segmentCount(batch.series)) {
    throw new EngineError('VALIDATION_ERROR', 'a batch of series needs one key per series', {
      keys: batch.keys.length,
      series: segmentCount(batch.series),
    });
  }
  const out: Detection[] = [];
  for (let i = 0; i < segmentCount(batch.series); i++) {
    const { timestamps, values } = segment(batch.series, i);
    out.push(...detectSeriesAnomalies({ key: batch.keys[i]!, timestamps, values }, batch.options));
  }
  return out;
}
