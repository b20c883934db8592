import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { detectBatch } from '../src/anomaly/tasks/detect-task.ts';
import { EngineError } from '../src/errors.ts';
import {
  type ColumnBatch,
  packColumns,
  packSegments,
  packTable,
  segment,
  segmentBounds,
  segmentCount,
  unpackColumns,
  unpackTable,
  widthOf,
} from '../src/workers/column-batch.ts';
import { transferablesOf } from '../src/workers/transfer.ts';

/** What a worker receives: the batch structured-cloned with its buffers moved, as `WorkerPool.run` posts it. */
function sendToWorker<T>(value: T): T {
  return structuredClone(value, { transfer: transferablesOf(value) });
}

function refusal(work: () => unknown): EngineError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('the batch was not refused');
}

const sliceTypes = { t: Float64Array, severity: Uint8Array } as const;

describe('the column-batch packer', () => {
  it('round-trips named columns through a move to a worker, copying only when asked', () => {
    const t = Float64Array.of(10, 20, 30);
    const severity = Uint8Array.of(0, 3, 1);
    const copied = packColumns({ t, severity }, { copy: true });
    const received = sendToWorker(copied);
    expect(unpackColumns(received, sliceTypes)).toEqual({
      t: Float64Array.of(10, 20, 30),
      severity: Uint8Array.of(0, 3, 1),
    });
    expect(received.rows).toBe(3);
    // The copies moved; the caller's arrays are still readable.
    expect(copied.columns.t.length).toBe(0);
    expect([...t]).toEqual([10, 20, 30]);

    const moved = packColumns({ t, severity });
    expect(moved.columns.t).toBe(t);
    sendToWorker(moved);
    expect(t.length).toBe(0);
  });

  it('packs segments end to end and gives each back as views, an empty one included', () => {
    const batch = packSegments(
      [
        { t: [1, 2, 3], severity: [0, 1, 2] },
        { t: [], severity: [] },
        { t: Float64Array.of(7, 8), severity: Uint8Array.of(3, 3) },
      ],
      sliceTypes,
    );
    expect(batch.rows).toBe(5);
    expect([...(batch.offsets ?? [])]).toEqual([0, 3, 3, 5]);
    const received = sendToWorker(batch);
    unpackColumns(received, sliceTypes);
    expect(segmentCount(received)).toBe(3);
    expect(segmentBounds(received, 2)).toEqual({ from: 3, to: 5 });
    expect([...segment(received, 0).t]).toEqual([1, 2, 3]);
    expect([...segment(received, 1).severity]).toEqual([]);
    const last = segment(received, 2);
    expect([...last.t]).toEqual([7, 8]);
    expect(last.t.buffer).toBe(received.columns.t.buffer);
  });

  it('carries a row-major matrix as one column several values wide', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    const batch = sendToWorker(packColumns({ features: data }, { widths: { features: 3 }, copy: true }));
    expect(batch.rows).toBe(2);
    expect(widthOf(batch, 'features')).toBe(3);
    expect([...segment(batch, 0).features]).toEqual([1, 2, 3, 4, 5, 6]);
    const rows = packColumns({ features: data }, { widths: { features: 3 }, offsets: [0, 1, 2] });
    expect([...segment(rows, 1).features]).toEqual([4, 5, 6]);
  });

  it('packs an empty batch', () => {
    const none = packSegments([], sliceTypes);
    expect(none.rows).toBe(0);
    expect([...(none.offsets ?? [])]).toEqual([0]);
    expect(segmentCount(sendToWorker(none))).toBe(0);
    const noColumns = packColumns({});
    expect(noColumns.rows).toBe(0);
    expect(segmentCount(noColumns)).toBe(1);
    const emptyColumns = sendToWorker(packColumns({ t: new Float64Array(0), severity: new Uint8Array(0) }));
    expect(unpackColumns(emptyColumns, sliceTypes).t.length).toBe(0);
    expect(segment(emptyColumns, 0).t.length).toBe(0);
  });

  it('refuses a column of the wrong length, bad offsets and a batch that is not what the task reads', () => {
    const short = refusal(() => packColumns({ t: new Float64Array(3), severity: new Uint8Array(2) }));
    expect(short.code).toBe('VALIDATION_ERROR');
    expect(short.details).toEqual({ column: 'severity', length: 2, expected: 3 });
    const matrix = refusal(() => packColumns({ features: new Float64Array(7) }, { widths: { features: 3 } }));
    expect(matrix.details).toEqual({ column: 'features', length: 7, expected: 6 });
    const segments = refusal(() => packSegments([{ t: [1, 2], severity: [0] }], sliceTypes));
    expect(segments.details).toEqual({ segment: 0, column: 'severity', length: 1, expected: 2 });
    expect(refusal(() => packColumns({ t: new Float64Array(3) }, { offsets: [0, 2] })).code).toBe(
      'VALIDATION_ERROR',
    );
    expect(refusal(() => packColumns({ t: new Float64Array(3) }, { offsets: [0, 2, 1, 3] })).details).toEqual(
      {
        segment: 1,
      },
    );
    const wrongType = { rows: 1, columns: { t: Float64Array.of(1), severity: Float64Array.of(0) } };
    const type = refusal(() =>
      unpackColumns(
        wrongType as unknown as ColumnBatch<{ t: Float64Array; severity: Uint8Array }>,
        sliceTypes,
      ),
    );
    expect(type.details).toEqual({ column: 'severity' });
    // A task checks its batch before it reads: a series whose values are shorter than its timestamps.
    const series = { rows: 3, columns: { timestamps: new Float64Array(3), values: new Float64Array(2) } };
    const task = refusal(() => detectBatch({ keys: ['a'], series, options: {} }));
    expect(task.details).toEqual({ column: 'values', length: 2, expected: 3 });
    const keys = refusal(() =>
      detectBatch({
        keys: ['a'],
        series: packSegments([], { timestamps: Float64Array, values: Float64Array }),
        options: {},
      }),
    );
    expect(keys.details).toEqual({ keys: 1, series: 0 });
  });

  it('packs the named columns of an Arrow table as IPC bytes and checks them on arrival', () => {
    const table = new arrow.Table({
      id: arrow.vectorFromArray(['a', 'b']),
      title: arrow.vectorFromArray(['disk full', null], new arrow.Utf8()),
      t: arrow.vectorFromArray(Float64Array.of(1, 2)),
    });
    const bytes = packTable(table, ['title', 't']);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const received = unpackTable(sendToWorker(bytes), ['title', 't']);
    expect(received.schema.fields.map((f) => f.name)).toEqual(['title', 't']);
    expect(received.getChild('title')?.toArray()).toEqual(['disk full', null]);
    expect(unpackTable(packTable(table)).numCols).toBe(3);
    expect(refusal(() => packTable(table, ['title', 'service'])).details).toEqual({ column: 'service' });
    expect(refusal(() => unpackTable(packTable(table, ['t']), ['title'])).details).toEqual({
      column: 'title',
    });
  });
});
