import { readFile } from 'node:fs/promises';
import { DataType, tableFromIPC, type Vector } from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import { resolveColumns } from '../column-mapping.ts';
import type { ColumnMapping, IgnoredColumns, RawBatch } from '../types.ts';
import { tabularRecord } from './tabular.ts';

/**
 * Reads Arrow IPC, file or stream format (told apart by apache-arrow from the magic bytes), one
 * record batch at a time. Timestamps and dates become `Date`s, 64-bit integers numbers, lists
 * arrays, dictionary-encoded strings their strings. Columns map to fields as for CSV.
 *
 * @throws EngineError VALIDATION_ERROR when the bytes are not Arrow IPC or a column is neither read
 *   nor ignored (see `resolveColumns`).
 */
export async function* readArrow(
  input: { readonly path: string } | { readonly data: Uint8Array | string },
  mapping?: ColumnMapping,
  ignore?: IgnoredColumns,
): AsyncGenerator<RawBatch> {
  const bytes =
    'path' in input
      ? await readFile(input.path)
      : typeof input.data === 'string'
        ? new TextEncoder().encode(input.data)
        : input.data;
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new EngineError('VALIDATION_ERROR', `cannot read Arrow IPC: ${(error as Error).message}`);
  }
  const sources = resolveColumns(
    table.schema.fields.map((f) => f.name),
    mapping,
    ignore,
  );
  let firstRow = 1;
  for (const batch of table.batches) {
    const converters = sources.map(({ index }) => {
      const field = table.schema.fields[index]!;
      return converter(field.type, batch.getChildAt(index)!);
    });
    const n = batch.numRows;
    const records: unknown[] = new Array(n);
    const row: unknown[] = new Array(table.schema.fields.length);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < sources.length; s++) row[sources[s]!.index] = converters[s]!(i);
      records[i] = tabularRecord(row, sources, false);
    }
    yield { records, firstRow };
    firstRow += n;
  }
}

function converter(type: DataType, vector: Vector): (i: number) => unknown {
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    return (i) => {
      const v = vector.get(i) as number | null;
      return v === null ? null : new Date(v);
    };
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    return (i) => {
      const v = vector.get(i) as bigint | null;
      return v === null ? null : Number(v);
    };
  }
  if (DataType.isList(type)) {
    return (i) => {
      const v = vector.get(i) as Vector | null;
      return v === null ? null : Array.from(v.toArray() as ArrayLike<unknown>);
    };
  }
  return (i) => vector.get(i);
}
