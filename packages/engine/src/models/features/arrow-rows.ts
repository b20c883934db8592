import * as arrow from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import type { FeatureValue, TabularRow } from '../learn/types.ts';

/**
 * The values of column `name` of an Arrow table, one per row, as feature values: Float64 columns
 * (the SQL casts numbers to DOUBLE) read straight from their typed arrays and validity bitmaps,
 * dictionary-encoded text decoded once per dictionary entry, other columns value by value.
 * Nulls are null.
 */
function columnValues(table: arrow.Table, name: string): FeatureValue[] {
  const vector = table.getChild(name);
  if (!vector) throw new EngineError('INTERNAL', `the feature query gave no column ${name}`);
  const out: FeatureValue[] = new Array<FeatureValue>(table.numRows);
  let offset = 0;
  for (const data of vector.data) {
    const valid = (i: number) => {
      if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return true;
      const bit = data.offset + i;
      return ((data.nullBitmap[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0;
    };
    if (arrow.DataType.isFloat(data.type) || (arrow.DataType.isInt(data.type) && data.type.bitWidth <= 32)) {
      const values = data.values as Float64Array | Float32Array | Int32Array;
      for (let i = 0; i < data.length; i++)
        out[offset + i] = valid(i) ? (values[data.offset + i] as number) : null;
    } else if (arrow.DataType.isDictionary(data.type) && data.dictionary) {
      const dictionary = data.dictionary;
      const words: FeatureValue[] = [];
      for (let k = 0; k < dictionary.length; k++) words.push(toFeatureValue(dictionary.get(k)));
      const indices = data.values as Int32Array;
      for (let i = 0; i < data.length; i++) {
        out[offset + i] = valid(i) ? (words[indices[data.offset + i] as number] ?? null) : null;
      }
    } else {
      const part = new arrow.Vector([data]);
      for (let i = 0; i < data.length; i++) out[offset + i] = toFeatureValue(part.get(i));
    }
    offset += data.length;
  }
  return out;
}

/** Rows of the named columns of an Arrow table: numbers stay numbers, text stays text, nulls are null. */
export function arrowToRows(table: arrow.Table, columns: readonly string[]): TabularRow[] {
  const rows: Record<string, FeatureValue>[] = [];
  for (let i = 0; i < table.numRows; i++) rows.push({});
  for (const name of columns) {
    const values = columnValues(table, name);
    for (let i = 0; i < rows.length; i++) (rows[i] as Record<string, FeatureValue>)[name] = values[i] ?? null;
  }
  return rows;
}

/** A column of numbers (null → NaN) as a Float64Array. */
export function arrowNumbers(table: arrow.Table, column: string): Float64Array {
  return Float64Array.from(columnValues(table, column), (value) =>
    value === null ? Number.NaN : Number(value),
  );
}

/** A column of text (null stays null). */
export function arrowStrings(table: arrow.Table, column: string): (string | null)[] {
  return columnValues(table, column).map((value) => (value === null ? null : String(value)));
}

function toFeatureValue(value: unknown): FeatureValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}
