/**
 * One tree level's row work for one half of the rows: boosting grows its trees level by level
 * (`grow-levels.ts`), and the tree's rows are split once into two halves of positions, the
 * grower's and the helper's. Every node holds a range of positions in each half. For each node
 * split at a level, the work on one half is: partition the node's range of that half (stable, in
 * place), then sum the histograms of the child chosen to be built over the rows of that half.
 * The grower does this for its half and, in one hand-off per level, the helper for the other;
 * without a helper the grower does both, in the same order, so the numbers are the same.
 */

import { binSlots, missingBin } from './binning.ts';
import { buildHistograms, type HistogramBuffer, type RowStatistics } from './histogram.ts';
import { splitRange } from './partition.ts';

/** Int32 slots per entry: feature (−1: no partition), start, end, side to build, rows sent left (result). */
export const entryWidth = 5;
/** Build nothing, the left part, the right part, or the whole range (a tree's root). */
export const buildNone = 0;
export const buildLeft = 1;
export const buildRight = 2;
export const buildWhole = 3;

/** A level's entries for one half of the rows, and where that half's histograms go. */
export interface LevelWork {
  /** `entryWidth` numbers per entry (see {@link entryWidth}). */
  readonly entries: Int32Array;
  /** The side (1 left, 0 right) of every bin of entry `e`'s split, at `256 e`. */
  readonly lookups: Uint8Array;
  /** Entry `e`'s histograms of its built part. */
  readonly sums: readonly HistogramBuffer[];
}

/** Entries a level's work holds for `columns` features: at most 64, and at most about 8 MB of histograms. */
export function levelCapacity(columns: number): number {
  const perEntry = columns * binSlots * 2 * 8;
  return Math.max(1, Math.min(64, Math.floor((8 << 20) / perEntry)));
}

/** A level's work space for `columns` features over the given arrays (from {@link newLevelArrays}). */
export function levelWorkOver(
  columns: number,
  entries: Int32Array,
  lookups: Uint8Array,
  sums: Float64Array,
): LevelWork {
  const width = columns * binSlots * 2;
  return {
    entries,
    lookups,
    sums: Array.from({ length: levelCapacity(columns) }, (_, e) => ({
      sums: sums.subarray(e * width, (e + 1) * width),
      ready: new Uint8Array(columns),
    })),
  };
}

/** The arrays of a level's work for `columns` features, allocated by `make` (shared or not). */
export function newLevelArrays(
  columns: number,
  make: (bytes: number) => ArrayBufferLike,
  withSums = true,
): { entries: Int32Array; lookups: Uint8Array; sums: Float64Array } {
  const capacity = levelCapacity(columns);
  return {
    entries: new Int32Array(make(4 * capacity * entryWidth)),
    lookups: new Uint8Array(make(capacity * binSlots)),
    sums: new Float64Array(make(withSums ? 8 * capacity * columns * binSlots * 2 : 8)),
  };
}

/**
 * Does entries `0 … count − 1` of `work` on `rows` (the tree's positions; each entry's range is
 * within one half): partitions the range by the entry's side table (stable; `moved` is scratch as
 * long as `rows`, used at the range's positions only), stores the rows sent left, and sums the
 * histograms of `features[0 … featureCount − 1]` over the part to build.
 */
export function runLevelWork(
  work: LevelWork,
  count: number,
  features: Int32Array,
  featureCount: number,
  bins: Uint8Array,
  columns: number,
  rows: Int32Array,
  moved: Int32Array,
  statistics: RowStatistics,
): void {
  const { entries, lookups } = work;
  for (let e = 0; e < count; e++) {
    const at = e * entryWidth;
    const feature = entries[at] as number;
    const start = entries[at + 1] as number;
    const end = entries[at + 2] as number;
    const side = entries[at + 3] as number;
    let left = end - start;
    if (feature >= 0) {
      const lookup = lookups.subarray(e * binSlots, (e + 1) * binSlots);
      left = splitRange(bins, columns, feature, lookup, rows, moved, start, end);
      rows.set(moved.subarray(start, start + (end - start - left)), start + left);
    }
    entries[at + 4] = left;
    if (side === buildNone) continue;
    const from = side === buildRight ? start + left : start;
    const to = side === buildLeft ? start + left : end;
    const target = work.sums[e] as HistogramBuffer;
    buildHistograms(target, features, featureCount, 2, bins, columns, rows, from, to, statistics);
  }
}

/** Sets entry `e` of `work`: partition `rows[start … end − 1]` on `feature` (−1: none), build `side`. */
export function setEntry(
  work: LevelWork,
  e: number,
  feature: number,
  start: number,
  end: number,
  side: number,
): void {
  const at = e * entryWidth;
  work.entries[at] = feature;
  work.entries[at + 1] = start;
  work.entries[at + 2] = end;
  work.entries[at + 3] = side;
}

/**
 * `target += ` entry `e`'s sums in `second`, for `features[0 … featureCount − 1]`: a node's first
 * half's sums (in `target`) plus its second half's. Over each feature's used bins only (its
 * `binCount[f]` value bins and the missing bin: no row falls in the others, which stay 0 in every
 * histogram).
 */
export function addSecondHalf(
  target: HistogramBuffer,
  second: LevelWork,
  e: number,
  features: Int32Array,
  featureCount: number,
  binCount: Int32Array,
): void {
  const b = (second.sums[e] as HistogramBuffer).sums;
  const sums = target.sums;
  for (let k = 0; k < featureCount; k++) {
    const f = features[k] as number;
    const base = f * binSlots * 2;
    const used = base + 2 * (binCount[f] as number);
    for (let at = base; at < used; at++) sums[at] = (sums[at] as number) + (b[at] as number);
    for (let at = base + 2 * missingBin; at < base + 2 * binSlots; at++) {
      sums[at] = (sums[at] as number) + (b[at] as number);
    }
  }
}

/**
 * Joins entry `e`'s built child and derives its sibling in one pass: `built += ` entry `e`'s sums
 * in `second` (as {@link addSecondHalf}), then, when `parent` is given, `parent −= built` (the
 * larger child's histograms, in the parent's buffer). The same two operations on each number as
 * adding then subtracting in two passes, so the same bits, reading `built` once.
 */
export function joinAndSubtract(
  built: HistogramBuffer,
  second: LevelWork,
  e: number,
  parent: HistogramBuffer | null,
  features: Int32Array,
  featureCount: number,
  binCount: Int32Array,
): void {
  if (parent === null) {
    addSecondHalf(built, second, e, features, featureCount, binCount);
    return;
  }
  const b = (second.sums[e] as HistogramBuffer).sums;
  const sums = built.sums;
  const p = parent.sums;
  for (let k = 0; k < featureCount; k++) {
    const f = features[k] as number;
    const base = f * binSlots * 2;
    const used = base + 2 * (binCount[f] as number);
    for (let at = base; at < used; at++) {
      const joined = (sums[at] as number) + (b[at] as number);
      sums[at] = joined;
      p[at] = (p[at] as number) - joined;
    }
    for (let at = base + 2 * missingBin; at < base + 2 * binSlots; at++) {
      const joined = (sums[at] as number) + (b[at] as number);
      sums[at] = joined;
      p[at] = (p[at] as number) - joined;
    }
  }
}

/**
 * Hands a level's work on the second half of the rows to a helper thread: `start` returns whether
 * it was handed over, `finish` waits for it and returns whether the helper did it (else the grower
 * does it itself).
 */
export interface SecondHalfRunner {
  start(
    work: LevelWork,
    count: number,
    features: Int32Array,
    featureCount: number,
    rows: Int32Array,
    levelRows: number,
  ): boolean;
  finish(): boolean;
}

/** A runner without a helper: the grower does both halves. */
export const noHelper: SecondHalfRunner = { start: () => false, finish: () => false };
