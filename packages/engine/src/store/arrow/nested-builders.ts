import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { bitIsSet } from './bitmap.ts';
import { ColumnBuilder } from './column-builders.ts';
import { GrowableBytes } from './growable.ts';
import { arrowData } from './make-data.ts';
import { DictionaryStringBuilder, PlainStringBuilder } from './string-builders.ts';

/**
 * VARCHAR: dictionary-encoded while the column has at most `maxDictionarySize` distinct values,
 * plain Utf8 from the first value past that (the rows seen so far are re-emitted once).
 * O(rows + bytes).
 */
export class VarCharBuilder extends ColumnBuilder {
  private dictionary: DictionaryStringBuilder | null;
  private plain: PlainStringBuilder | null = null;

  constructor(maxDictionarySize: number, capacityHint: number) {
    super(capacityHint);
    this.dictionary =
      maxDictionarySize > 0 ? new DictionaryStringBuilder(maxDictionarySize, capacityHint) : null;
    if (!this.dictionary) this.plain = new PlainStringBuilder(new arrow.Utf8(), capacityHint);
  }

  get type(): arrow.DataType {
    return this.dictionary ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : new arrow.Utf8();
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ) {
    let done = 0;
    if (this.dictionary) {
      done = this.dictionary.append(vector, vectorRows, mask, offset, count);
      if (!this.dictionary.overflowed) return;
      const plain = new PlainStringBuilder(new arrow.Utf8(), this.capacityHint);
      this.dictionary.replayInto(plain, (row) => this.validity.isValid(row));
      this.dictionary = null;
      this.plain = plain;
    }
    this.plain?.append(vector, vectorRows, mask, offset + done, count - done);
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    const builder = this.dictionary ?? (this.plain as PlainStringBuilder);
    return builder.finish(length, nullCount, nullBitmap);
  }
}

/** BLOB as Arrow Binary, bytes copied. O(rows + bytes). */
export class BlobBuilder extends ColumnBuilder {
  readonly type = new arrow.Binary();
  private readonly plain: PlainStringBuilder;

  constructor(capacityHint: number) {
    super(capacityHint);
    this.plain = new PlainStringBuilder(this.type, capacityHint);
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ) {
    this.plain.append(vector, vectorRows, mask, offset, count);
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    return this.plain.finish(length, nullCount, nullBitmap);
  }
}

/**
 * LIST as Arrow List: DuckDB keeps (offset, length) pairs into one child vector per chunk; the
 * child rows of a run of rows are appended in one piece when the pairs are contiguous (as in query
 * results), row by row otherwise. O(rows + child rows).
 */
export class ListBuilder extends ColumnBuilder {
  readonly type: arrow.List;
  private readonly offsets: GrowableBytes;
  private offsetView: Int32Array;
  private rows = 0;
  private childRows = 0;

  constructor(
    private readonly child: ColumnBuilder,
    capacityHint: number,
  ) {
    super(capacityHint);
    this.type = new arrow.List(new arrow.Field('item', child.type, true));
    this.offsets = new GrowableBytes((capacityHint + 1) * 4);
    this.offsets.length = 4;
    this.offsetView = new Int32Array(this.offsets.bytes.buffer);
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ) {
    const raw = duckdb.vector_get_data(vector, vectorRows * 16);
    // (offset, length) as uint64 pairs; child vectors stay far below 2^32 rows, so the low words do.
    const entries = new Uint32Array(raw.buffer, raw.byteOffset, vectorRows * 4);
    const childVector = duckdb.list_vector_get_child(vector);
    const childSize = duckdb.list_vector_get_size(vector);
    this.offsets.reserve(count * 4);
    if (this.offsets.bytes.buffer !== this.offsetView.buffer) {
      this.offsetView = new Int32Array(this.offsets.bytes.buffer);
    }
    let start = -1;
    let expected = 0;
    let contiguous = true;
    for (let row = offset; row < offset + count; row++) {
      const valid = mask === null || bitIsSet(mask, row);
      const length = valid ? (entries[row * 4 + 2] ?? 0) : 0;
      if (valid && length > 0) {
        const at = entries[row * 4] ?? 0;
        if (start < 0) {
          start = at;
          expected = at;
        }
        if (at !== expected) contiguous = false;
        expected = at + length;
      }
      this.childRows += length;
      this.offsetView[++this.rows] = this.childRows;
    }
    this.offsets.length = (this.rows + 1) * 4;
    if (start < 0) return;
    if (contiguous) {
      this.child.append(childVector, childSize, start, expected - start);
      return;
    }
    for (let row = offset; row < offset + count; row++) {
      const length = mask === null || bitIsSet(mask, row) ? (entries[row * 4 + 2] ?? 0) : 0;
      if (length > 0) this.child.append(childVector, childSize, entries[row * 4] ?? 0, length);
    }
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    return arrowData({
      type: this.type,
      length,
      nullCount,
      nullBitmap,
      valueOffsets: new Int32Array(this.offsets.bytes.buffer, 0, length + 1),
      child: this.child.finish(),
    });
  }
}
