/**
 * Boosting on two threads over shared memory: the thread growing the trees (the grower) and a
 * helper thread share the binned matrix, the per-row (g, h) pairs, margins and targets, the tree's
 * row indices and scratch space, all in `SharedArrayBuffer`s. A tree's rows are split into two
 * halves of positions; at each level of the tree the grower hands the helper the second half's
 * work (partitions of the split nodes' rows and the built children's histograms, `level-work.ts`),
 * does the first half itself, waits and joins the halves; it also hands over the split search of
 * half of a level's nodes (`level-scan.ts`); after each tree the helper updates the
 * margins and gradients of half the rows (`two-thread-kernels.ts`). The one-thread learner joins
 * the same halves the same way, so the trees are exactly those of one thread. A helper that has not started yet or has stopped leaves its half to the grower: the
 * helper only ever makes training faster, never different, and its absence never blocks.
 *
 * Synchronisation: `Atomics` on a small control array (command number, done number, state).
 */

import { binRows, binSlots, type ColumnBins, fitColumn } from './binning.ts';
import { type SingleOutputLoss, stepRows } from './boosted-step.ts';
import type { RowStatistics } from './histogram.ts';
import { newScanArrays, runScanWork, type ScanWork } from './level-scan.ts';
import { type LevelWork, levelWorkOver, newLevelArrays, runLevelWork } from './level-work.ts';
import { newSplitRecord, newSplitScratch, type SplitRecord, type SplitScratch } from './split-record.ts';

/** Control slots. */
const command = 0;
const done = 1;
const state = 2;
const stopFlag = 3;
const jobSlot = 4;
const fromSlot = 5;
const toSlot = 6;
const countSlot = 7;
const lossSlot = 9;
const entriesSlot = 10;
const featureSlots = 16;

/** Helper states (0: not started yet). */
const running = 1;
const gone = 2;

/** Jobs the helper does on rows `order[from … to − 1]`. */
const levelJob = 1;
const stepJob = 3;
const fitColumnsJob = 4;
const binRowsJob = 5;
const scanJob = 6;

/** Leaves of one tree the shared leaf table holds (a deeper tree's step runs on the grower alone). */
export const sharedLeafCapacity = 4096;

/** Polls of a flag before sleeping on it: a few microseconds, about a hand-off's wake-up. */
const spins = 2000;

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
  /** Scratch for partitions: the rows going right. */
  readonly moved: Int32Array;
  /** The second half's level work (see `LevelWork`): entries, side tables, histograms. */
  readonly levelEntries: Int32Array;
  readonly levelLookups: Uint8Array;
  readonly levelSums: Float64Array;
  /** Margins of a single-output loss (regression, binary). */
  readonly margins: Float64Array;
  /** Training target of a single-output loss. */
  readonly target: Float64Array;
  /** The last tree's leaves: (first position, end position, weight) each. */
  readonly leaves: Float64Array;
  /** The training features, column-major (see `TreeTrainingData.values`). */
  readonly values: Float64Array;
  /** Fitted bins of each feature: its edges or codes at `binSlots × j`. */
  readonly binTable: Float64Array;
  /** Of each feature: how many edges or codes (`2j`) and its bin count (`2j + 1`). */
  readonly binSizes: Int32Array;
  /** A level's split scan handed to the helper (see `ScanWork`; its histograms are `levelSums`). */
  readonly scan: Omit<ScanWork, 'sums'>;
}

function shared<T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T {
  return make(new SharedArrayBuffer(Math.max(8, bytes)));
}

/** Allocates the shared memory for boosting on `rows` × `columns` data. */
export function newSharedHistogramMemory(rows: number, columns: number): SharedHistogramMemory {
  const level = newLevelArrays(columns, (bytes) => new SharedArrayBuffer(Math.max(8, bytes)));
  return {
    rows,
    columns,
    control: shared((b) => new Int32Array(b), 4 * (featureSlots + columns)),
    bins: shared((b) => new Uint8Array(b), rows * columns),
    stats: shared((b) => new Float64Array(b), 16 * rows),
    order: shared((b) => new Int32Array(b), 4 * rows),
    moved: shared((b) => new Int32Array(b), 4 * rows),
    levelEntries: level.entries,
    levelLookups: level.lookups,
    levelSums: level.sums,
    margins: shared((b) => new Float64Array(b), 8 * rows),
    target: shared((b) => new Float64Array(b), 8 * rows),
    leaves: shared((b) => new Float64Array(b), 24 * sharedLeafCapacity),
    values: shared((b) => new Float64Array(b), 8 * rows * columns),
    binTable: shared((b) => new Float64Array(b), 8 * binSlots * columns),
    binSizes: shared((b) => new Int32Array(b), 8 * columns),
    scan: newScanArrays(columns, (bytes) => new SharedArrayBuffer(Math.max(8, bytes))),
  };
}

/** Writes feature `j`'s fitted bins into the shared table. */
export function writeColumnBins(memory: SharedHistogramMemory, j: number, column: ColumnBins): void {
  const list = column.codes.length > 0 ? column.codes : column.edges;
  memory.binTable.set(list, j * binSlots);
  memory.binSizes[2 * j] = list.length;
  memory.binSizes[2 * j + 1] = column.binCount;
}

/** Reads feature `j`'s fitted bins from the shared table. */
export function readColumnBins(memory: SharedHistogramMemory, j: number, categorical: boolean): ColumnBins {
  const at = j * binSlots;
  const list = memory.binTable.slice(at, at + (memory.binSizes[2 * j] as number));
  const binCount = memory.binSizes[2 * j + 1] as number;
  return categorical
    ? { edges: new Float64Array(0), codes: Array.from(list), binCount }
    : { edges: list, codes: [], binCount };
}

/** The grower's end of the hand-offs: issues a job on rows `order[from … to − 1]` and waits for it. */
export class HelperLink {
  private issued: number;

  constructor(readonly memory: SharedHistogramMemory) {
    this.issued = Atomics.load(memory.control, command);
  }

  /** Whether the helper serves now (else the grower does every half itself). */
  get available(): boolean {
    return Atomics.load(this.memory.control, state) === running;
  }

  /**
   * Hands the helper entries `0 … entries − 1` of the shared level work ({@link sharedLevelWork}),
   * histograms of `features[0 … count − 1]`.
   */
  level(entries: number, features: Int32Array, count: number): void {
    const control = this.memory.control;
    control[countSlot] = count;
    control[entriesSlot] = entries;
    for (let k = 0; k < count; k++) control[featureSlots + k] = features[k] as number;
    this.issue(levelJob, 0, 0);
  }

  /**
   * Hands the helper the split search of entries `0 … entries − 1` of the shared scan work
   * ({@link sharedScanWork}), each among the first `examined` features of its order.
   */
  scan(entries: number, examined: number): void {
    this.memory.control[entriesSlot] = entries;
    this.memory.control[countSlot] = examined;
    this.issue(scanJob, 0, 0);
  }

  /** Hands the helper the margin step of `leafCount` leaves in `memory.leaves`. */
  step(loss: SingleOutputLoss, leafCount: number, from: number, to: number): void {
    this.memory.control[lossSlot] = loss;
    this.memory.control[countSlot] = leafCount;
    this.issue(stepJob, from, to);
  }

  /**
   * Hands the helper the fitting of the odd features' bins (`categorical[j]` marks category
   * codes), read from `memory.values` and written to the shared table.
   */
  fitOddColumns(categorical: Uint8Array, maxBins: number): void {
    const control = this.memory.control;
    for (let j = 0; j < categorical.length; j++) control[featureSlots + j] = categorical[j] as number;
    control[countSlot] = maxBins;
    this.issue(fitColumnsJob, 0, 0);
  }

  /** Hands the helper the binning of rows `from … to − 1` of every feature, by the shared table. */
  binRows(from: number, to: number): void {
    this.issue(binRowsJob, from, to);
  }

  /**
   * Waits for the last job: true once the helper has done it, false if the helper stopped
   * without doing it (the grower then does it itself).
   */
  finish(): boolean {
    const control = this.memory.control;
    for (let spin = 0; ; spin++) {
      const finished = Atomics.load(control, done);
      if (finished === this.issued) return true;
      if (Atomics.load(control, state) !== running) return false;
      if (spin >= spins) Atomics.wait(control, done, finished, 50);
    }
  }

  private issue(job: number, from: number, to: number): void {
    const control = this.memory.control;
    control[jobSlot] = job;
    control[fromSlot] = from;
    control[toSlot] = to;
    this.issued++;
    Atomics.store(control, command, this.issued);
    Atomics.notify(control, command);
  }
}

/** Tells the helper to stop (it returns once it sees this; a helper that has not started returns at once). */
export function stopHistogramHelper(memory: SharedHistogramMemory): void {
  Atomics.store(memory.control, stopFlag, 1);
  Atomics.notify(memory.control, command);
}

/** The level work in `memory` (views on its shared arrays). */
export function sharedLevelWork(memory: SharedHistogramMemory): LevelWork {
  return levelWorkOver(memory.columns, memory.levelEntries, memory.levelLookups, memory.levelSums);
}

/** The scan work in `memory`: its arrays, and the level work's histogram slots. */
export function sharedScanWork(memory: SharedHistogramMemory, level = sharedLevelWork(memory)): ScanWork {
  return { ...memory.scan, sums: level.sums };
}

/** The helper's split scan work and its scratch space. */
interface Scanner {
  readonly scan: ScanWork;
  readonly scratch: SplitScratch;
  readonly best: SplitRecord;
}

/** Does the job in the control slots. */
function serve(
  memory: SharedHistogramMemory,
  work: LevelWork,
  scanner: Scanner,
  statistics: RowStatistics,
): void {
  const { control, columns, bins, order } = memory;
  const from = control[fromSlot] as number;
  const to = control[toSlot] as number;
  const count = control[countSlot] as number;
  const job = control[jobSlot] as number;
  if (job === levelJob) {
    const features = control.subarray(featureSlots, featureSlots + count);
    const entries = control[entriesSlot] as number;
    runLevelWork(work, entries, features, count, bins, columns, order, memory.moved, statistics);
  } else if (job === scanJob) {
    const { scan, scratch, best } = scanner;
    runScanWork(scan, control[entriesSlot] as number, count, columns, scratch, best);
  } else if (job === stepJob) {
    const loss = control[lossSlot] as SingleOutputLoss;
    stepRows(loss, order, memory.leaves, count, from, to, memory.margins, memory.target, memory.stats);
  } else if (job === fitColumnsJob) {
    const present = new Float64Array(memory.rows);
    for (let j = 1; j < columns; j += 2) {
      const categorical = control[featureSlots + j] === 1;
      writeColumnBins(memory, j, fitColumn(memory.values, memory.rows, j, categorical, count, present));
    }
  } else if (job === binRowsJob) {
    const fitted = Array.from({ length: columns }, (_, j) =>
      readColumnBins(memory, j, control[featureSlots + j] === 1),
    );
    binRows(memory.values, memory.rows, fitted, bins, from, to);
  }
}

/**
 * The helper's side: does the jobs the grower hands over until {@link stopHistogramHelper}.
 * Blocks its thread (run it on a worker of its own). Returns the number of hand-offs served.
 */
export function runHistogramHelper(memory: SharedHistogramMemory): number {
  const { control } = memory;
  if (Atomics.load(control, stopFlag) === 1) return 0;
  const work = sharedLevelWork(memory);
  const scanner = {
    scan: sharedScanWork(memory, work),
    scratch: newSplitScratch(2),
    best: newSplitRecord(2),
  };
  const statistics: RowStatistics = { layout: 'pairs', stats: memory.stats };
  let seen = Atomics.load(control, command);
  let served = 0;
  let idle = 0;
  Atomics.store(control, state, running);
  try {
    while (Atomics.load(control, stopFlag) === 0) {
      const next = Atomics.load(control, command);
      if (next === seen) {
        if (++idle >= spins) Atomics.wait(control, command, seen, 100);
        continue;
      }
      idle = 0;
      seen = next;
      serve(memory, work, scanner, statistics);
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
