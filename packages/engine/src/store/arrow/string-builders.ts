import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { bitIsSet } from './bitmap.ts';
import { GrowableBytes } from './growable.ts';
import { arrowData } from './make-data.ts';

const decoder = new TextDecoder();

/**
 * The bytes of string `row` of a DuckDB VARCHAR/BLOB vector. DuckDB's `string_t` is 16 bytes: a
 * uint32 length, then the bytes inline when they fit in 12, otherwise a 4-byte prefix and a
 * pointer, which the binding dereferences without copying.
 */
function stringBytes(view: DataView, row: number): Uint8Array {
  const at = row * 16;
  const length = view.getUint32(at, true);
  if (length <= 12) return new Uint8Array(view.buffer, view.byteOffset + at + 4, length);
  return duckdb.get_data_from_pointer(view.buffer as ArrayBuffer, view.byteOffset + at + 8, length);
}

/** The `string_t` array of a VARCHAR/BLOB vector holding `vectorRows` rows. */
function stringView(vector: duckdb.Vector, vectorRows: number): DataView {
  const data = duckdb.vector_get_data(vector, vectorRows * 16);
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Offsets (int32) and bytes of a variable-length Arrow column, grown as rows come. */
export class OffsetBytes {
  readonly offsets: GrowableBytes;
  readonly bytes: GrowableBytes;
  private offsetView: Int32Array;
  rows = 0;

  constructor(capacityHint: number, bytesHint = capacityHint * 8) {
    this.offsets = new GrowableBytes((capacityHint + 1) * 4);
    this.bytes = new GrowableBytes(bytesHint);
    this.offsets.length = 4;
    this.offsetView = new Int32Array(this.offsets.bytes.buffer);
  }

  /** Appends one value (`null` keeps the offset, for a null row). */
  push(value: Uint8Array | null): void {
    if (value !== null) this.bytes.push(value);
    if (this.bytes.length > 0x7fffffff) throw new RangeError('a string column exceeds 2 GiB');
    this.offsets.reserve(4);
    if (this.offsets.bytes.buffer !== this.offsetView.buffer) {
      this.offsetView = new Int32Array(this.offsets.bytes.buffer);
    }
    this.rows++;
    this.offsetView[this.rows] = this.bytes.length;
    this.offsets.length += 4;
  }

  /** The `rows + 1` offsets written so far. */
  valueOffsets(): Int32Array {
    return new Int32Array(this.offsets.bytes.buffer, 0, this.rows + 1);
  }
}

/** Builds an Arrow Utf8 (or Binary) column from DuckDB VARCHAR (or BLOB) vectors, copying bytes. */
export class PlainStringBuilder {
  readonly values: OffsetBytes;

  constructor(
    readonly type: arrow.Utf8 | arrow.Binary,
    capacityHint: number,
  ) {
    this.values = new OffsetBytes(capacityHint);
  }

  append(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ): void {
    const view = stringView(vector, vectorRows);
    for (let row = offset; row < offset + count; row++) {
      this.values.push(mask === null || bitIsSet(mask, row) ? stringBytes(view, row) : null);
    }
  }

  finish(length: number, nullCount: number, nullBitmap: Uint8Array | undefined): arrow.Data {
    return arrowData({
      type: this.type,
      length,
      nullCount,
      nullBitmap,
      valueOffsets: this.values.valueOffsets(),
      data: this.values.bytes.view(),
    });
  }
}

/**
 * Builds a `Dictionary<Utf8, Int32>` column from DuckDB VARCHAR vectors while the column has at
 * most `maxSize` distinct values; past that it reports `overflowed` and the caller switches to a
 * {@link PlainStringBuilder} (see {@link DictionaryStringBuilder.replayInto}).
 */
export class DictionaryStringBuilder {
  private readonly indices: GrowableBytes;
  private indexView: Int32Array;
  private readonly lookup = new Map<string, number>();
  private readonly dictionary: OffsetBytes;
  rows = 0;
  overflowed = false;

  constructor(
    private readonly maxSize: number,
    capacityHint: number,
  ) {
    this.indices = new GrowableBytes(capacityHint * 4);
    this.indexView = new Int32Array(this.indices.bytes.buffer);
    this.dictionary = new OffsetBytes(Math.min(maxSize, 1024), 1024);
  }

  /** Appends rows; stops early (setting `overflowed`) when the dictionary would grow too big. */
  append(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ): number {
    const view = stringView(vector, vectorRows);
    this.indices.reserve(count * 4);
    if (this.indices.bytes.buffer !== this.indexView.buffer) {
      this.indexView = new Int32Array(this.indices.bytes.buffer);
    }
    const indices = this.indexView;
    for (let row = offset; row < offset + count; row++) {
      let index = 0;
      if (mask === null || bitIsSet(mask, row)) {
        const bytes = stringBytes(view, row);
        const key = decoder.decode(bytes);
        const known = this.lookup.get(key);
        if (known === undefined) {
          if (this.lookup.size >= this.maxSize) {
            this.overflowed = true;
            return row - offset;
          }
          index = this.lookup.size;
          this.lookup.set(key, index);
          this.dictionary.push(bytes);
        } else {
          index = known;
        }
      }
      indices[this.rows++] = index;
      this.indices.length += 4;
    }
    return count;
  }

  /** Re-emits the rows seen so far as plain strings into `target` (nulls per `isValid`). */
  replayInto(target: PlainStringBuilder, isValid: (row: number) => boolean): void {
    const offsets = this.dictionary.valueOffsets();
    const bytes = this.dictionary.bytes.view();
    for (let row = 0; row < this.rows; row++) {
      const index = this.indexView[row] ?? 0;
      target.values.push(isValid(row) ? bytes.subarray(offsets[index] ?? 0, offsets[index + 1] ?? 0) : null);
    }
  }

  finish(length: number, nullCount: number, nullBitmap: Uint8Array | undefined): arrow.Data {
    const dictionary = arrowData({
      type: new arrow.Utf8(),
      length: this.lookup.size,
      nullCount: 0,
      valueOffsets: this.dictionary.valueOffsets(),
      data: this.dictionary.bytes.view(),
    });
    return arrowData({
      type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      length,
      nullCount,
      nullBitmap,
      data: new Int32Array(this.indices.bytes.buffer, 0, this.rows),
      dictionary: new arrow.Vector([dictionary]),
    });
  }
}
