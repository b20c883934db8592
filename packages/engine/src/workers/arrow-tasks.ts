import { packTable, type TableBatch, unpackTable } from './column-batch.ts';

/** Payload of {@link sumColumn}: a table batch (Arrow IPC) and the name of a numeric column. */
export interface SumColumnPayload {
  readonly ipc: TableBatch;
  readonly column: string;
}

/**
 * Sums a numeric column of an Arrow IPC table, skipping nulls (BigInt columns are summed as
 * numbers). A small real task that proves tables cross to a worker intact. O(rows).
 *
 * @throws EngineError VALIDATION_ERROR when the column is missing.
 */
export function sumColumn(payload: SumColumnPayload): number {
  const table = unpackTable(payload.ipc, [payload.column]);
  let sum = 0;
  for (const data of table.getChild(payload.column)?.data ?? []) {
    const values = data.values as ArrayLike<number | bigint>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++) {
      if (bitmap && !(((bitmap[(data.offset + i) >> 3] ?? 0) >> ((data.offset + i) & 7)) & 1)) continue;
      sum += Number(values[i]);
    }
  }
  return sum;
}

/** Payload and result of {@link echoTable}: a table batch (Arrow IPC). */
export interface EchoTablePayload {
  readonly ipc: TableBatch;
}

/**
 * Reads an Arrow IPC table and sends it back re-serialised: the round trip a kernel's input and
 * output make, used to measure and test transfer. O(bytes).
 */
export function echoTable(payload: EchoTablePayload): EchoTablePayload {
  return { ipc: packTable(unpackTable(payload.ipc)) };
}
