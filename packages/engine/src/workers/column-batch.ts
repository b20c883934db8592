/**
 * The one way worker tasks receive their data: a **column batch**. Numeric data travels as named
 * typed-array columns (several segments, e.g. one per series or per slice, packed end to end with
 * an offsets array; a row-major matrix as one column several values wide); text travels as the
 * columns of an Arrow table in Arrow IPC bytes. Callers build a batch with {@link packColumns},
 * {@link packSegments} or {@link packTable}; tasks read it with {@link unpackColumns},
 * {@link segment} / {@link segmentBounds} or {@link unpackTable}. A batch is a plain object whose
 * arrays span whole buffers, so `WorkerPool.run` moves them (see `transferablesOf`) instead of
 * cloning them. Pure: no threads, no I/O.
 */
import type * as arrow from 'apache-arrow';
import { EngineError } from '../errors.ts';
import { tableFromTransferable, tableToTransferable } from './transfer.ts';

/** A typed array that can hold one column of a batch. */
type NumericColumn =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** The columns of a batch by name, e.g. `{ timestamps: Float64Array; values: Float64Array }`. */
export type Columns = Record<string, NumericColumn>;

/** The typed-array class of each column, e.g. `{ timestamps: Float64Array, values: Float64Array }`. */
export type ColumnTypes<C extends Columns> = { readonly [K in keyof C]: new (length: number) => C[K] };

/**
 * Numeric columns as they cross to a worker.
 *
 * Every column holds `rows × width` values, row after row, where `width` is 1 unless `widths`
 * says otherwise (a row-major matrix is one column `width` values wide). When `offsets` is present
 * the rows are several segments packed end to end: segment i is rows `[offsets[i], offsets[i + 1])`,
 * so `offsets` has one entry more than there are segments, starts at 0, never decreases and ends at
 * `rows`. Without `offsets` the batch is one segment.
 */
export interface ColumnBatch<C extends Columns = Columns> {
  /** Rows in the batch (all segments together). */
  readonly rows: number;
  /** The columns by name. */
  readonly columns: C;
  /** Values per row of the columns that hold more than one. */
  readonly widths?: { readonly [K in keyof C]?: number };
  /** Segment boundaries, in rows. */
  readonly offsets?: Int32Array;
}

/**
 * Text (or mixed) columns as they cross to a worker: an Arrow table serialised as Arrow IPC (stream
 * format) in a buffer of its own, made by {@link packTable} and read by {@link unpackTable}.
 */
export type TableBatch = Uint8Array;

/** Options of {@link packColumns}. */
export interface PackColumnsOptions<C extends Columns> {
  /** Rows of the batch; by default the first column's length divided by its width (0 with no columns). */
  readonly rows?: number;
  /** Values per row of the columns that hold more than one. */
  readonly widths?: { readonly [K in keyof C]?: number };
  /** Segment boundaries in rows (see {@link ColumnBatch.offsets}). */
  readonly offsets?: ArrayLike<number>;
  /**
   * Pack copies, leaving the caller's arrays usable (a batch's buffers are detached once
   * `WorkerPool.run` posts it). Default false: the arrays themselves go into the batch.
   */
  readonly copy?: boolean;
}

/**
 * Packs named typed-array columns into a {@link ColumnBatch}, checking their lengths and the
 * offsets. Without `copy` the arrays themselves are packed and will be moved with the batch;
 * the offsets are always packed as a fresh `Int32Array`. O(columns + segments), plus the copies.
 *
 * @throws EngineError VALIDATION_ERROR when a column's length is not `rows × width`, a width is
 *   not a positive integer, `rows` is not a non-negative integer or the offsets are not
 *   boundaries from 0 to `rows`; nothing is packed then.
 */
export function packColumns<C extends Columns>(
  columns: C,
  options: PackColumnsOptions<C> = {},
): ColumnBatch<C> {
  const widths = options.widths;
  const [first] = Object.entries(columns);
  const rows =
    options.rows ?? (first ? Math.floor(first[1].length / checkedWidth(first[0], widths?.[first[0]])) : 0);
  const batch = {
    rows,
    columns,
    ...(widths ? { widths } : {}),
    ...(options.offsets ? { offsets: Int32Array.from(options.offsets) } : {}),
  };
  checkBatch(batch);
  if (!options.copy) return batch;
  const copies: Columns = {};
  for (const [name, column] of Object.entries(columns)) copies[name] = column.slice();
  return { ...batch, columns: copies as C };
}

/**
 * Packs segments (e.g. several series) end to end into one {@link ColumnBatch}: one fresh typed
 * array per column, of the class `types` gives, and the offsets of the segments. Each segment
 * gives every column of `types` (any array-like of numbers), all of one length. O(total values).
 *
 * @throws EngineError VALIDATION_ERROR when a segment lacks a column or its columns differ in length.
 */
export function packSegments<C extends Columns>(
  segments: readonly NoInfer<{ readonly [K in keyof C]: ArrayLike<number> }>[],
  types: ColumnTypes<C>,
): ColumnBatch<C> {
  const names = Object.keys(types) as (keyof C & string)[];
  const offsets = new Int32Array(segments.length + 1);
  let rows = 0;
  segments.forEach((segment, i) => {
    let length: number | undefined;
    for (const name of names) {
      const column = segment[name] as ArrayLike<number> | undefined;
      if (!column) refuse(`segment ${i} has no column ${name}`, { segment: i, column: name });
      if (length !== undefined && column.length !== length) {
        refuse(`segment ${i}: column ${name} holds ${column.length} values, the others ${length}`, {
          segment: i,
          column: name,
          length: column.length,
          expected: length,
        });
      }
      length = column.length;
    }
    rows += length ?? 0;
    offsets[i + 1] = rows;
  });
  const columns = {} as C;
  for (const name of names) {
    const column = new types[name](rows);
    segments.forEach((segment, i) => {
      column.set(segment[name], offsets[i]!);
    });
    columns[name] = column;
  }
  return { rows, columns, offsets };
}

/**
 * The columns of a batch received by a task, checked: each column of `types` is present, of
 * that class and `rows × width` long, and the offsets are sound. O(columns + segments).
 *
 * @throws EngineError VALIDATION_ERROR when the batch does not hold what `types` describes.
 */
export function unpackColumns<C extends Columns>(batch: ColumnBatch<C>, types: ColumnTypes<C>): C {
  checkBatch(batch);
  for (const name of Object.keys(types) as (keyof C & string)[]) {
    const column = batch.columns[name] as NumericColumn | undefined;
    if (!(column instanceof types[name])) {
      refuse(`the batch has no ${types[name].name} column ${name}`, { column: name });
    }
  }
  return batch.columns;
}

/** Values per row of column `name` (1 unless the batch says otherwise). */
export function widthOf<C extends Columns>(batch: ColumnBatch<C>, name: keyof C & string): number {
  return batch.widths?.[name] ?? 1;
}

/** Segments in a batch: `offsets.length − 1`, or 1 for a batch without offsets. */
export function segmentCount(batch: ColumnBatch): number {
  return batch.offsets ? batch.offsets.length - 1 : 1;
}

/** The rows `[from, to)` of segment `index` (0-based, below {@link segmentCount}). */
export function segmentBounds(batch: ColumnBatch, index: number): { from: number; to: number } {
  if (!batch.offsets) return { from: 0, to: batch.rows };
  return { from: batch.offsets[index] ?? 0, to: batch.offsets[index + 1] ?? 0 };
}

/** Segment `index` of every column, as views (`subarray`) into the batch: no copy. */
export function segment<C extends Columns>(batch: ColumnBatch<C>, index: number): C {
  const { from, to } = segmentBounds(batch, index);
  const views: Columns = {};
  for (const [name, column] of Object.entries(batch.columns)) {
    const width = widthOf(batch, name);
    views[name] = column.subarray(from * width, to * width);
  }
  return views as C;
}

/**
 * Packs the columns `names` (by default all) of an Arrow table (text, numbers, dictionaries) as a
 * {@link TableBatch}: Arrow IPC bytes in a buffer of their own, moved to the worker. Other columns
 * stay behind. One copy of the packed columns' buffers.
 *
 * @throws EngineError VALIDATION_ERROR when the table lacks one of `names`.
 */
export function packTable(table: arrow.Table, names?: readonly string[]): TableBatch {
  if (!names) return tableToTransferable(table);
  requireColumns(table, names);
  return tableToTransferable(table.select([...names]));
}

/**
 * Reads a {@link TableBatch} back as an Arrow table (columns read in place, not copied), checking
 * that it has the columns `names`.
 *
 * @throws EngineError VALIDATION_ERROR when a column of `names` is missing.
 */
export function unpackTable(bytes: TableBatch, names: readonly string[] = []): arrow.Table {
  const table = tableFromTransferable(bytes);
  requireColumns(table, names);
  return table;
}

function requireColumns(table: arrow.Table, names: readonly string[]): void {
  for (const name of names) {
    if (!table.getChild(name)) refuse(`the table has no column ${name}`, { column: name });
  }
}

/** Checks the shape of a batch: row count, widths, column lengths and offsets. */
function checkBatch(batch: ColumnBatch): void {
  const { rows } = batch;
  if (!Number.isInteger(rows) || rows < 0) {
    refuse(`a batch's rows must be a non-negative integer, not ${rows}`, { rows });
  }
  for (const [name, column] of Object.entries(batch.columns)) {
    if (!ArrayBuffer.isView(column) || column instanceof DataView) {
      refuse(`column ${name} is not a typed array`, { column: name });
    }
    const width = checkedWidth(name, batch.widths?.[name]);
    if (column.length !== rows * width) {
      refuse(
        `column ${name} holds ${column.length} values, expected ${rows * width} (${rows} rows × ${width})`,
        { column: name, length: column.length, expected: rows * width },
      );
    }
  }
  const offsets = batch.offsets;
  if (!offsets) return;
  if (!(offsets instanceof Int32Array)) refuse('the offsets must be an Int32Array', {});
  const last = offsets[offsets.length - 1];
  if (offsets[0] !== 0 || last !== rows) {
    refuse(`the offsets must run from 0 to ${rows} rows`, { first: offsets[0], last, rows });
  }
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i]! < offsets[i - 1]!) {
      refuse(`the offsets decrease at segment ${i - 1}`, { segment: i - 1 });
    }
  }
}

function checkedWidth(name: string, width: number | undefined): number {
  if (width === undefined) return 1;
  if (!Number.isInteger(width) || width < 1) {
    refuse(`column ${name}: width ${width} is not a positive integer`, { column: name, width });
  }
  return width;
}

function refuse(message: string, details: Record<string, unknown>): never {
  throw new EngineError('VALIDATION_ERROR', `column batch: ${message}`, details);
}
