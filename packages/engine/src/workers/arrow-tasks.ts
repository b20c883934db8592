import { EngineError } from '../errors.ts';
import { tableFromTransferable, tableToTransferable } from './transfer.ts';

/** Payload of {@link sumColumn}: an Arrow IPC table and the name of a numeric column. */
export interface SumColumnPayload {
  readonly ipc: Uint8Array;
  readonly column: string;
}

/**
 * Sums a numeric column of an Arrow IPC table, skipping nulls (BigInt columns are summed as
 * numbers). A small real task that proves tables cross to a worker intact. O(rows).
 *
 * @throws EngineError VALIDATION_ERROR when the column is missing.
 */
export function sumColumn(payload: SumColumnPayload): number {
  const table = tableFromTransferable(payload.ipc);
  const column = table.getChild(payload.column);
  if (!column) {
    throw new EngineError('VALIDATION_ERROR', `the table has no column ${payload.column}`, {
      column: payload.column,
    });
  }
  let sum = 0;
  for (const data of column.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++) {
      if (bitmap && !(((bitmap[(data.offset + i) >> 3] ?? 0) >> ((data.offset + i) & 7)) & 1)) continue;
      sum += Number(values[i]);
    }
  }
  return sum;
}

/** Payload and result of {@link echoTable}: an Arrow IPC table. */
export interface EchoTablePayload {
  readonly ipc: Uint8Array;
}

/**
 * Reads an Arrow IPC table and sends it back re-serialised: the round trip a kernel's input and
 * output make, used to measure and test transfer. O(bytes).
 */
export function echoTable(payload: EchoTablePayload): EchoTablePayload {
  return { ipc: tableToTransferable(tableFromTransferable(payload.ipc)) };
}
