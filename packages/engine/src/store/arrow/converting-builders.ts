import duckdb from '@duckdb/node-bindings';
import * as arrow from 'apache-arrow';
import { EngineError } from '../../errors.ts';
import { bitIsSet } from './bitmap.ts';
import { ColumnBuilder } from './column-builders.ts';
import { GrowableBytes } from './growable.ts';
import { arrowData } from './make-data.ts';
import { OffsetBytes } from './string-builders.ts';

/** DuckDB stores a BOOLEAN in one byte; Arrow packs eight in a byte. O(rows). */
export class BoolBuilder extends ColumnBuilder {
  readonly type = new arrow.Bool();
  private readonly bits: GrowableBytes;
  private rows = 0;

  constructor(capacityHint: number) {
    super(capacityHint);
    this.bits = new GrowableBytes(Math.ceil(capacityHint / 8));
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    _mask: unknown,
    offset: number,
    count: number,
  ) {
    const bytes = duckdb.vector_get_data(vector, vectorRows * duckdb.sizeof_bool);
    const size = duckdb.sizeof_bool;
    const needed = Math.ceil((this.rows + count) / 8);
    this.bits.reserve(needed - this.bits.length);
    this.bits.length = Math.max(this.bits.length, needed);
    const bits = this.bits.bytes;
    for (let row = offset; row < offset + count; row++, this.rows++) {
      const at = this.rows;
      if (bytes[row * size]) bits[at >> 3] = (bits[at >> 3] ?? 0) | (1 << (at & 7));
    }
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    return arrowData({ type: this.type, length, nullCount, nullBitmap, data: this.bits.view() });
  }
}

/**
 * HUGEINT (what `sum()` of integers returns) as Int64: a value must fit in 64 bits, which is checked
 * on the two high int32 words without creating a BigInt per value. O(rows).
 */
export class HugeIntBuilder extends ColumnBuilder {
  readonly type = new arrow.Int64();
  private readonly values: GrowableBytes;

  constructor(
    private readonly column: string,
    capacityHint: number,
  ) {
    super(capacityHint);
    this.values = new GrowableBytes(capacityHint * 8);
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ) {
    const raw = duckdb.vector_get_data(vector, vectorRows * 16);
    const words = new Int32Array(raw.buffer, raw.byteOffset, vectorRows * 4);
    this.values.reserve(count * 8);
    const out = new Int32Array(this.values.bytes.buffer, this.values.length, count * 2);
    for (let i = 0; i < count; i++) {
      const row = offset + i;
      const low = words[row * 4] ?? 0;
      const high = words[row * 4 + 1] ?? 0;
      const sign = high >> 31;
      if (
        (words[row * 4 + 2] !== sign || words[row * 4 + 3] !== sign) &&
        (mask === null || bitIsSet(mask, row))
      ) {
        throw new EngineError(
          'UNSUPPORTED',
          `column ${this.column} holds a HUGEINT beyond 64 bits; cast it to DOUBLE`,
          {
            column: this.column,
          },
        );
      }
      out[i * 2] = low;
      out[i * 2 + 1] = high;
    }
    this.values.length += count * 8;
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    const data = new BigInt64Array(this.values.bytes.buffer, 0, length);
    return arrowData({ type: this.type, length, nullCount, nullBitmap, data });
  }
}

/**
 * DECIMAL(width, scale) as Float64 (value / 10^scale): exact while the unscaled value stays below
 * 2^53, rounded beyond. The unscaled integer is read from its int16/int32/int64/int128 storage
 * by words, without a BigInt per value. O(rows).
 */
export class DecimalBuilder extends ColumnBuilder {
  readonly type = new arrow.Float64();
  private values: Float64Array;
  private rows = 0;
  private readonly storage: number;
  private readonly divisor: number;

  constructor(width: number, scale: number, capacityHint: number) {
    super(capacityHint);
    this.values = new Float64Array(Math.max(capacityHint, 1));
    this.storage = width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16;
    this.divisor = 10 ** scale;
  }

  private grow(extra: number): Float64Array {
    if (this.rows + extra <= this.values.length) return this.values;
    let capacity = this.values.length * 2;
    while (capacity < this.rows + extra) capacity *= 2;
    const next = new Float64Array(capacity);
    next.set(this.values.subarray(0, this.rows));
    this.values = next;
    return next;
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    _mask: unknown,
    offset: number,
    count: number,
  ) {
    const raw = duckdb.vector_get_data(vector, vectorRows * this.storage);
    const out = this.grow(count);
    const d = this.divisor;
    if (this.storage === 2 || this.storage === 4) {
      const ints =
        this.storage === 2
          ? new Int16Array(raw.buffer, raw.byteOffset, vectorRows)
          : new Int32Array(raw.buffer, raw.byteOffset, vectorRows);
      for (let i = 0; i < count; i++) out[this.rows++] = (ints[offset + i] ?? 0) / d;
      return;
    }
    const words = new Int32Array(raw.buffer, raw.byteOffset, (vectorRows * this.storage) / 4);
    const perRow = this.storage / 4;
    for (let i = 0; i < count; i++) {
      const at = (offset + i) * perRow;
      let value = 0;
      for (let w = perRow - 1; w >= 0; w--) {
        const word = words[at + w] ?? 0;
        value = value * 4294967296 + (w === perRow - 1 ? word : word >>> 0);
      }
      out[this.rows++] = value / d;
    }
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    return arrowData({
      type: this.type,
      length,
      nullCount,
      nullBitmap,
      data: this.values.subarray(0, length),
    });
  }
}

const hex = new TextEncoder().encode('0123456789abcdef');
const dash = 45;

/**
 * UUID as its 36-character lowercase text in a Utf8 column, written as ASCII bytes straight into
 * the Arrow buffer (no JS string per value). DuckDB keeps a UUID as a little-endian int128 with the
 * top bit flipped so that it sorts like the text. O(rows).
 */
export class UuidBuilder extends ColumnBuilder {
  readonly type = new arrow.Utf8();
  private readonly values: OffsetBytes;

  constructor(capacityHint: number) {
    super(capacityHint);
    this.values = new OffsetBytes(capacityHint, capacityHint * 36);
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ) {
    const raw = duckdb.vector_get_data(vector, vectorRows * 16);
    const text = new Uint8Array(36);
    for (let row = offset; row < offset + count; row++) {
      if (mask !== null && !bitIsSet(mask, row)) {
        this.values.push(null);
        continue;
      }
      let out = 0;
      for (let k = 0; k < 16; k++) {
        // Big-endian byte k of the UUID is byte 15 - k of the little-endian int128.
        let byte = raw[row * 16 + 15 - k] ?? 0;
        if (k === 0) byte ^= 0x80;
        if (k === 4 || k === 6 || k === 8 || k === 10) text[out++] = dash;
        text[out++] = hex[byte >> 4] ?? 0;
        text[out++] = hex[byte & 15] ?? 0;
      }
      this.values.push(text);
    }
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
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

/** DuckDB ENUM as `Dictionary<Utf8, Int32>` over the enum's own values. O(rows). */
export class EnumBuilder extends ColumnBuilder {
  readonly type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  private readonly indices: Int32Array[] = [];
  private readonly storage: number;

  constructor(
    private readonly values: readonly string[],
    capacityHint: number,
  ) {
    super(capacityHint);
    this.storage = values.length <= 256 ? 1 : values.length <= 65536 ? 2 : 4;
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    _mask: unknown,
    offset: number,
    count: number,
  ) {
    const raw = duckdb.vector_get_data(vector, vectorRows * this.storage);
    const ints =
      this.storage === 1
        ? raw
        : this.storage === 2
          ? new Uint16Array(raw.buffer, raw.byteOffset, vectorRows)
          : new Uint32Array(raw.buffer, raw.byteOffset, vectorRows);
    this.indices.push(Int32Array.from(ints.subarray(offset, offset + count)));
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    const data = new Int32Array(length);
    let at = 0;
    for (const part of this.indices) {
      data.set(part, at);
      at += part.length;
    }
    const dictionary = arrow.vectorFromArray([...this.values], new arrow.Utf8());
    return arrowData({ type: this.type, length, nullCount, nullBitmap, data, dictionary });
  }
}
