import duckdb from '@duckdb/node-bindings';
import { bitIsSet, copyBits, countUnset, setBits } from './bitmap.ts';
import { GrowableBytes } from './growable.ts';

/** Bytes DuckDB's validity mask holds for `rows` rows (it is an array of uint64 words). */
function validityBytes(rows: number): number {
  return Math.ceil(rows / 64) * 8;
}

/** The validity mask of a DuckDB vector, or `null` when every row is valid (DuckDB allocates none). */
export function readValidity(vector: duckdb.Vector, vectorRows: number): Uint8Array | null {
  if (vectorRows === 0) return null;
  return duckdb.vector_get_validity(vector, validityBytes(vectorRows)) ?? null;
}

/**
 * Accumulates the Arrow validity bitmap of one column from DuckDB validity masks. The bitmap is
 * created only when a first null shows up; until then every row is implicitly valid.
 */
export class ValidityBuilder {
  private bits: GrowableBytes | null = null;
  length = 0;

  constructor(private readonly capacityHint: number) {}

  /** Appends rows `[offset, offset + count)` of a DuckDB mask (`null` = all valid). */
  append(mask: Uint8Array | null, offset: number, count: number): void {
    if (mask === null) {
      if (this.bits) this.write(count, (bits, at) => setBits(bits, at, count));
      else this.length += count;
      return;
    }
    if (!this.bits) {
      const bits = new GrowableBytes(Math.ceil(Math.max(this.capacityHint, this.length + count) / 8));
      bits.reserve(Math.ceil(this.length / 8));
      bits.length = Math.ceil(this.length / 8);
      setBits(bits.bytes, 0, this.length);
      this.bits = bits;
    }
    this.write(count, (bits, at) => copyBits(mask, offset, bits, at, count));
  }

  /** True when row `row` (already appended) holds a value. */
  isValid(row: number): boolean {
    return this.bits === null || bitIsSet(this.bits.bytes, row);
  }

  /** The bitmap (or `undefined` when there is no null) and the null count. */
  finish(): { nullBitmap: Uint8Array | undefined; nullCount: number } {
    if (!this.bits) return { nullBitmap: undefined, nullCount: 0 };
    const bitmap = this.bits.view();
    const nullCount = countUnset(bitmap, 0, this.length);
    return { nullBitmap: nullCount === 0 ? undefined : bitmap, nullCount };
  }

  private write(count: number, fill: (bits: Uint8Array, at: number) => void): void {
    const bits = this.bits as GrowableBytes;
    const bytes = Math.ceil((this.length + count) / 8);
    bits.reserve(bytes - bits.length);
    bits.length = Math.max(bits.length, bytes);
    fill(bits.bytes, this.length);
    this.length += count;
  }
}
