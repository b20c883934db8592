/**
 * Feature-parallel histograms for boosting on two threads over shared memory. The thread growing
 * the trees (the grower) and a helper thread share the binned matrix, the per-row (g, h) pairs,
 * the node's row indices and a scratch histogram buffer, all in `SharedArrayBuffer`s. For a large
 * node the grower hands the second half of the node's features to the helper, builds the first
 * half itself, waits, and copies the helper's histograms into the node's buffer. Every feature's
 * histogram is summed over the same rows in the same order either way, so the trees are exactly
 * those of one thread. Small nodes, a helper that has not started yet or has stopped, and any
 * array outside the shared memory all fall back to building on the grower's thread: the helper
 * only ever makes training faster, never different, and its absence never blocks.
 *
 * Synchronisation: `Atomics` on a small control array (command number, done number, state).
 */

import { binSlots } from './binning.ts';
import { buildHistograms, type HistogramBuffer, type RowStatistics } from './histogram.ts';

/** Control slots. */
const command = 0;
const done = 1;
const state = 2;
const stopFlag = 3;
const startSlot = 4;
const endSlot = 5;
const countSlot = 6;
const featureSlots = 8;

/** Helper states (0: not started yet). */
const running = 1;
const gone = 2;

/** Two channels (g, h) per bin: boosting's histograms. */
const channels = 2;

/**
 * Row-features below which a node's histograms are built on one thread: the hand-off costs a few
 * microseconds, about what 4,000 row-features take to sum.
 */
const parallelMinimumWork = 16_384;

/** The memory the grower and its helper share; every array is backed by a `SharedArrayBuffer`. */
export interface SharedHistogramMemory {
  readonly rows: number;
  readonly columns: number;
  readonly control: Int32Array;
  /** Row-major binned matrix (see `Binned.bins`). */
  readonly bins: Uint8Array;
  /** (g, h) of every row, interleaved. */
  readonly stats: Float64Array;
  /** The rows of the tree being grown (reordered in place by the grower). */
  readonly order: Int32Array;
  /** The helper's histograms, laid out as a `HistogramBuffer`'s sums. */
  readonly sums: Float64Array;
}

function shared<T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(8, bytes)));
}

/** Allocates the shared memory for boosting on `rows` × `columns` data. */
export function newSharedHistogramMemory(rows: number, columns: number): SharedHistogramMemory {
  return {
    rows,
    columns,
    control: shared((b) => new Int32Array(b), 4 * (featureSlots + columns)),
    bins: shared((b) => new Uint8Array(b), rows * columns),
    stats: shared((b) => new Float64Array(b), 16 * rows),
    order: shared((b) => new Int32Array(b), 4 * rows),
    sums: shared((b) => new Float64Array(b), 8 * columns * binSlots * channels),
  };
}

/** Same signature as {@link buildHistograms}: how the grower fills a node's histograms. */
export type HistogramBuilder = typeof buildHistograms;

/** The grower's side: a {@link HistogramBuilder} that gives half the features of large nodes to the helper. */
export function parallelHistogramBuilder(memory: SharedHistogramMemory): HistogramBuilder {
  const { control } = memory;
  const width = binSlots * channels;
  let issued = Atomics.load(control, command);
  return (buffer, features, featureCount, channelCount, bins, columns, rows, start, end, statistics) => {
    const useHelper =
      featureCount >= 2 &&
      (end - start) * featureCount >= parallelMinimumWork &&
      channelCount === channels &&
      Atomics.load(control, state) === running &&
      statistics.layout === 'pairs' &&
      statistics.stats.buffer === memory.stats.buffer &&
      rows.buffer === memory.order.buffer &&
      bins.buffer === memory.bins.buffer;
    if (!useHelper) {
      buildHistograms(
        buffer,
        features,
        featureCount,
        channelCount,
        bins,
        columns,
        rows,
        start,
        end,
        statistics,
      );
      return;
    }
    const half = featureCount >> 1;
    const theirs = featureCount - half;
    control[startSlot] = start;
    control[endSlot] = end;
    control[countSlot] = theirs;
    for (let k = 0; k < theirs; k++) control[featureSlots + k] = features[half + k] as number;
    issued++;
    Atomics.store(control, command, issued);
    Atomics.notify(control, command);
    buildHistograms(buffer, features, half, channelCount, bins, columns, rows, start, end, statistics);
    for (;;) {
      const finished = Atomics.load(control, done);
      if (finished === issued) break;
      if (Atomics.load(control, state) !== running) {
        // The helper is gone mid-task: build its half here.
        buildHistograms(
          buffer,
          features.subarray(half),
          theirs,
          channelCount,
          bins,
          columns,
          rows,
          start,
          end,
          statistics,
        );
        return;
      }
      Atomics.wait(control, done, finished, 50);
    }
    for (let k = half; k < featureCount; k++) {
      const at = (features[k] as number) * width;
      buffer.sums.set(memory.sums.subarray(at, at + width), at);
      buffer.ready[features[k] as number] = 1;
    }
  };
}

/** Tells the helper to stop (it returns once it sees this; a helper that has not started returns at once). */
export function stopHistogramHelper(memory: SharedHistogramMemory): void {
  Atomics.store(memory.control, stopFlag, 1);
  Atomics.notify(memory.control, command);
}

/**
 * The helper's side: builds the histograms the grower hands over until {@link stopHistogramHelper}.
 * Blocks its thread (run it on a worker of its own). Returns the number of hand-offs served.
 */
export function runHistogramHelper(memory: SharedHistogramMemory): number {
  const { control, columns } = memory;
  if (Atomics.load(control, stopFlag) === 1) return 0;
  const target: HistogramBuffer = { sums: memory.sums, ready: new Uint8Array(columns) };
  const statistics: RowStatistics = { layout: 'pairs', stats: memory.stats };
  let seen = Atomics.load(control, command);
  let served = 0;
  Atomics.store(control, state, running);
  try {
    while (Atomics.load(control, stopFlag) === 0) {
      const next = Atomics.load(control, command);
      if (next === seen) {
        Atomics.wait(control, command, seen, 100);
        continue;
      }
      seen = next;
      const count = control[countSlot] as number;
      buildHistograms(
        target,
        control.subarray(featureSlots, featureSlots + count),
        count,
        channels,
        memory.bins,
        columns,
        memory.order,
        control[startSlot] as number,
        control[endSlot] as number,
        statistics,
      );
      served++;
      Atomics.store(control, done, next);
      Atomics.notify(control, done);
    }
  } finally {
    Atomics.store(control, state, gone);
    Atomics.notify(control, done);
  }
  return served;
}
