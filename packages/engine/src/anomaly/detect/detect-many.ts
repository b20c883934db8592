import { availableParallelism } from 'node:os';
import { EngineError } from '../../errors.ts';
import { packSegments } from '../../workers/column-batch.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import { type DetectBatch, detectTaskName, seriesColumnTypes } from '../tasks/detect-task.ts';
import type { Detection, DetectOptions, SeriesInput } from './detect.ts';
import { resolveSettings } from './detect-settings.ts';

/** Options of {@link detectManySeries}. */
export interface DetectManyOptions {
  /** Cancels batches not yet started. */
  readonly signal?: AbortSignal;
}

/**
 * Detects anomalies in many series through the worker pool: series are packed into batches of
 * roughly equal total length (about four per worker, so a slow batch does not hold the others up),
 * each batch's timestamps and values travel as transferred `Float64Array` buffers, and each worker
 * runs {@link detectSeriesAnomalies}. Results come back in input order of the series.
 *
 * @throws EngineError VALIDATION_ERROR for a bad option or series (checked before any work starts);
 * CANCELLED when `signal` aborts; WORKER_FAILED when a worker dies.
 */
export async function detectManySeries(
  pool: WorkerPool,
  series: readonly SeriesInput[],
  options: DetectOptions = {},
  many: DetectManyOptions = {},
): Promise<Detection[]> {
  resolveSettings(options);
  for (const s of series) {
    if (s.timestamps.length !== s.values.length) {
      throw new EngineError('VALIDATION_ERROR', `series ${s.key}: timestamps and values differ in length`, {
        key: s.key,
      });
    }
  }
  if (series.length === 0) return [];
  const threads = Math.max(1, pool.options.threads ?? availableParallelism());
  const batches = pack(series, options, threads * 4);
  const results = await Promise.all(
    batches.map((b) => pool.run<Detection[]>(detectTaskName, b, many.signal ? { signal: many.signal } : {})),
  );
  return results.flat();
}

/**
 * Splits the series into at most `target` contiguous batches of about equal point counts, each
 * packed end to end by `packSegments` (one segment per series).
 */
function pack(series: readonly SeriesInput[], options: DetectOptions, target: number): DetectBatch[] {
  const total = series.reduce((sum, s) => sum + s.values.length, 0);
  const per = Math.max(1, Math.ceil(total / target));
  const batches: DetectBatch[] = [];
  let i = 0;
  while (i < series.length) {
    let j = i;
    let points = 0;
    while (j < series.length && (j === i || points + series[j]!.values.length <= per))
      points += series[j++]!.values.length;
    const members = series.slice(i, j);
    batches.push({
      keys: members.map((s) => s.key),
      series: packSegments(members, seriesColumnTypes),
      options,
    });
    i = j;
  }
  return batches;
}
