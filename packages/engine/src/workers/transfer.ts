import * as arrow from 'apache-arrow';

/**
 * Serialises an Arrow table to Arrow IPC (stream format) in a buffer of its own, ready to be
 * transferred to or from a worker (`transferList: [bytes.buffer]`) instead of cloned. Costs one
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
 * The buffers in `value` that can be moved instead of cloned: those of typed arrays and
 * `ArrayBuffer`s at the top level or one level down in plain objects and arrays, when the view
 * spans its whole buffer (a partial view may share a pooled buffer with unrelated data).
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number) => {
    if (v instanceof ArrayBuffer) found.add(v);
    else if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) {
        found.add(v.buffer);
      }
    } else if (depth < 2 && v !== null && typeof v === 'object') {
      for (const item of Array.isArray(v) ? v : Object.values(v)) visit(item, depth + 1);
    }
  };
  visit(value, 0);
  return [...found];
}
