import type { IncidentInput } from '../../schema/incident.ts';
import { batchSize, type RawBatch } from '../types.ts';

/** Batches JS incident objects from an iterable or async iterable; row `n` is the n-th object. */
export async function* readRecords(
  records: Iterable<IncidentInput> | AsyncIterable<IncidentInput>,
): AsyncGenerator<RawBatch> {
  let batch: unknown[] = [];
  let firstRow = 1;
  for await (const record of records as AsyncIterable<IncidentInput>) {
    batch.push(record);
    if (batch.length === batchSize) {
      yield { records: batch, firstRow };
      firstRow += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) yield { records: batch, firstRow };
}
