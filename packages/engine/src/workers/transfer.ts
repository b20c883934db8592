import * as arrow from 'apache-arrow';

/**
 * Serialises an Arrow table to Arrow IPC (stream format) in a buffer of its own, ready to be
 * transferred to or from a worker (`WorkerPool.run` moves it) instead of cloned. Costs one
 * copy of the table's buffers; the receiving side reads the columns in place.
 */
export function tableToTransferable(table: arrow.Table): Uint8Array {
  const bytes = arrow.tableToIPC(table, 'stream');
  // A view that does not span its whole buffer would drag (or, pooled, fail to move) the rest.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Reads a table from Arrow IPC bytes (stream or file format) without copying its columns. */
export function tableFromTransferable(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(bytes);
}

/**
 * The buffers in `value` that can be moved instead of cloned: every `ArrayBuffer`, and the buffer
 * of every typed array (or `DataView`) that spans its whole buffer, found at any depth in plain
 * objects and arrays, each listed once. Skipped: `SharedArrayBuffer`s (shared, never moved),
 * partial views (they may share a pooled buffer with unrelated data, so they are cloned), and the
 * insides of other objects (class instances, maps, Arrow tables). Cycles are safe.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof ArrayBuffer) found.add(v);
    else if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
        found.add(v.buffer);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') pending.push(item);
    } else if (isPlainObject(v)) {
      for (const item of Object.values(v)) if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
  return [...found];
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
