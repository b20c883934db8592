/**
 * A byte buffer that grows by doubling, so appending n bytes in chunks costs O(n) amortised. The
 * builders of the Arrow bridge keep one per Arrow buffer, which keeps each column contiguous (one
 * Arrow `Data` per column) without knowing the row count of a streamed result in advance.
 */
export class GrowableBytes {
  bytes: Uint8Array;
  length = 0;

  constructor(initialBytes = 4096) {
    this.bytes = new Uint8Array(Math.max(8, initialBytes));
  }

  /** Makes room for `extra` more bytes after `length`. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Appends `source`. */
  push(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** The written bytes; a view, valid until the next append. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
