import duckdb from '@duckdb/node-bindings';
import type * as arrow from 'apache-arrow';
import { GrowableBytes } from './growable.ts';
import { arrowData } from './make-data.ts';
import { readValidity, ValidityBuilder } from './validity-builder.ts';

/** How the bridge shapes its columns. */
export interface ColumnBuildOptions {
  /**
   * A VARCHAR column with at most this many distinct values becomes `Dictionary<Utf8, Int32>`;
   * with more it stays plain `Utf8`. 0 turns dictionary encoding off. Default 1,024.
   */
  readonly maxDictionarySize?: number;
}

/** Default of {@link ColumnBuildOptions.maxDictionarySize}. */
export const defaultMaxDictionarySize = 1024;

/**
 * Turns DuckDB vectors of one column into one Arrow `Data`. `append` takes rows
 * `[offset, offset + count)` of a vector holding `vectorRows` rows (a result chunk, or the child
 * vector of a LIST).
 */
export abstract class ColumnBuilder {
  abstract readonly type: arrow.DataType;
  protected readonly validity: ValidityBuilder;

  constructor(protected readonly capacityHint: number) {
    this.validity = new ValidityBuilder(capacityHint);
  }

  append(vector: duckdb.Vector, vectorRows: number, offset: number, count: number): void {
    const mask = readValidity(vector, vectorRows);
    this.validity.append(mask, offset, count);
    this.appendValues(vector, vectorRows, mask, offset, count);
  }

  finish(): arrow.Data {
    const { nullBitmap, nullCount } = this.validity.finish();
    return this.finishValues(this.validity.length, nullCount, nullBitmap);
  }

  protected abstract appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    mask: Uint8Array | null,
    offset: number,
    count: number,
  ): void;

  protected abstract finishValues(
    length: number,
    nullCount: number,
    nullBitmap: Uint8Array | undefined,
  ): arrow.Data;
}

/** Same bytes on both sides (integers, floats, DATE, TIMESTAMP*, TIME): one `set` per chunk. */
export class FixedWidthBuilder extends ColumnBuilder {
  private readonly values: GrowableBytes;

  constructor(
    readonly type: arrow.DataType,
    private readonly width: number,
    capacityHint: number,
  ) {
    super(capacityHint);
    this.values = new GrowableBytes(capacityHint * width);
  }

  protected appendValues(
    vector: duckdb.Vector,
    vectorRows: number,
    _mask: unknown,
    offset: number,
    count: number,
  ) {
    const data = duckdb.vector_get_data(vector, vectorRows * this.width);
    this.values.push(data.subarray(offset * this.width, (offset + count) * this.width));
  }

  protected finishValues(length: number, nullCount: number, nullBitmap: Uint8Array | undefined) {
    const ArrayType = this.type.ArrayType as unknown as {
      new (buffer: ArrayBuffer, offset: number, length: number): ArrayBufferView;
      BYTES_PER_ELEMENT: number;
    };
    const elements = (length * this.width) / ArrayType.BYTES_PER_ELEMENT;
    const data = new ArrayType(this.values.bytes.buffer as ArrayBuffer, 0, elements);
    return arrowData({ type: this.type, length, nullCount, nullBitmap, data });
  }
}
