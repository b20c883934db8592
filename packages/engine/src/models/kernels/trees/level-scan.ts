/**
 * Searching the splits of a tree level's nodes, on either thread. The grower (`grow-levels.ts`)
 * scans the first part of a level's nodes and, when a helper serves, hands it the rest in one
 * job: each such node's joined histograms copied into the shared level slots, its sums and its
 * feature order; the helper writes back each node's best split. Both threads run
 * {@link searchNode} on the same numbers with the same criterion, so a node's split (ties
 * included) is the same whichever thread searched it.
 */

import { binSlots } from './binning.ts';
import type { HistogramBuffer } from './histogram.ts';
import { levelCapacity } from './level-work.ts';
import { resetSplit, type SplitCriterion, type SplitRecord, type SplitScratch } from './split-record.ts';
import { scoreOf, searchFeature } from './split-search.ts';

/** Numbers of the criterion in {@link ScanWork.settings}, before two per feature. */
const criterionSlots = 9;
/** Numbers per node in {@link ScanWork.results}. */
const resultWidth = 7;

/** A level's scan job: the criterion, and per entry a node's histograms, sums, order and result. */
export interface ScanWork {
  /** The criterion and minimum gain, then each feature's bin count and categorical flag. */
  readonly settings: Float64Array;
  /** Entry `e`'s node sums (G, H) at `2e`. */
  readonly totals: Float64Array;
  /** Entry `e`'s feature order at `columns × e` (the first `examined` are searched). */
  readonly orders: Int32Array;
  /** Entry `e`'s best split: gain, feature, threshold bin, missing left, category count, left (G, H). */
  readonly results: Float64Array;
  /** Entry `e`'s categories on the left at `binSlots × e`. */
  readonly categories: Int32Array;
  /** Entry `e`'s joined histograms. */
  readonly sums: readonly HistogramBuffer[];
}

/** The arrays of a scan job for `columns` features (the histograms are the level work's), allocated by `make`. */
export function newScanArrays(
  columns: number,
  make: (bytes: number) => ArrayBufferLike,
): Omit<ScanWork, 'sums'> {
  const capacity = levelCapacity(columns);
  return {
    settings: new Float64Array(make(8 * (criterionSlots + 2 * columns))),
    totals: new Float64Array(make(16 * capacity)),
    orders: new Int32Array(make(4 * capacity * columns)),
    results: new Float64Array(make(8 * resultWidth * capacity)),
    categories: new Int32Array(make(4 * binSlots * capacity)),
  };
}

/** The features' bin counts and whether each is categorical. */
export interface FeatureShapes {
  readonly binCount: ArrayLike<number>;
  readonly categorical: ArrayLike<boolean>;
}

/** Writes a boosting criterion (two channels), `minGain` and the features' shapes into `work.settings`. */
export function writeScanSettings(
  work: Pick<ScanWork, 'settings'>,
  criterion: SplitCriterion,
  minGain: number,
  shapes: FeatureShapes,
): void {
  const s = work.settings;
  const { category } = criterion;
  s.set([
    criterion.lambda,
    criterion.alpha,
    criterion.gamma,
    criterion.minChildWeight,
    category.smooth,
    category.l2,
    category.maxCut,
    category.minRows,
    minGain,
  ]);
  for (let j = 0; j < shapes.binCount.length; j++) {
    s[criterionSlots + 2 * j] = shapes.binCount[j] as number;
    s[criterionSlots + 2 * j + 1] = shapes.categorical[j] ? 1 : 0;
  }
}

/** The criterion, minimum gain and feature shapes in `work.settings` (see {@link writeScanSettings}). */
function readScanSettings(
  work: Pick<ScanWork, 'settings'>,
  columns: number,
): { criterion: SplitCriterion; minGain: number; shapes: FeatureShapes } {
  const s = work.settings;
  const at = (k: number) => s[k] as number;
  return {
    criterion: {
      channels: 2,
      boosting: true,
      lambda: at(0),
      alpha: at(1),
      gamma: at(2),
      minChildWeight: at(3),
      category: { smooth: at(4), l2: at(5), maxCut: at(6), minRows: at(7) },
    },
    minGain: at(8),
    shapes: {
      binCount: Array.from({ length: columns }, (_, j) => at(criterionSlots + 2 * j)),
      categorical: Array.from({ length: columns }, (_, j) => at(criterionSlots + 2 * j + 1) === 1),
    },
  };
}

/**
 * The best split of a node of sums `totals` over its histograms `sums`, among the features
 * `order[0 … examined − 1]`, searched in that order (the first of equal gains wins), into `best`.
 */
export function searchNode(
  criterion: SplitCriterion,
  minGain: number,
  shapes: FeatureShapes,
  sums: Float64Array,
  totals: Float64Array,
  order: Int32Array,
  examined: number,
  scratch: SplitScratch,
  best: SplitRecord,
): void {
  const parentScore = scoreOf(criterion, totals, 0);
  resetSplit(best, minGain + 1e-10 * Math.abs(parentScore));
  for (let k = 0; k < examined; k++) {
    const f = order[k] as number;
    const binCount = shapes.binCount[f] as number;
    const categorical = shapes.categorical[f] as boolean;
    searchFeature(criterion, sums, f, binCount, categorical, totals, parentScore, scratch, best);
  }
}

/** Writes `best` as entry `e`'s result. */
function writeResult(work: ScanWork, e: number, best: SplitRecord): void {
  const r = work.results;
  const at = e * resultWidth;
  r[at] = best.gain;
  r[at + 1] = best.feature;
  r[at + 2] = best.thresholdBin;
  r[at + 3] = best.missingLeft ? 1 : 0;
  r[at + 4] = best.categoryCount;
  r[at + 5] = best.left[0] as number;
  r[at + 6] = best.left[1] as number;
  if (best.feature >= 0 && best.thresholdBin < 0) {
    work.categories.set(best.categoryBins.subarray(0, best.categoryCount), e * binSlots);
  }
}

/** Reads entry `e`'s result into `best` (the record {@link searchNode} would have left). */
export function readResult(work: ScanWork, e: number, best: SplitRecord): void {
  const r = work.results;
  const at = e * resultWidth;
  best.gain = r[at] as number;
  best.feature = r[at + 1] as number;
  best.thresholdBin = r[at + 2] as number;
  best.missingLeft = r[at + 3] === 1;
  best.categoryCount = r[at + 4] as number;
  best.left[0] = r[at + 5] as number;
  best.left[1] = r[at + 6] as number;
  if (best.feature >= 0 && best.thresholdBin < 0) {
    best.categoryBins.set(work.categories.subarray(e * binSlots, e * binSlots + best.categoryCount));
  }
}

/** Searches entries `0 … count − 1` of `work`, each among the first `examined` features of its order. */
export function runScanWork(
  work: ScanWork,
  count: number,
  examined: number,
  columns: number,
  scratch: SplitScratch,
  best: SplitRecord,
): void {
  const { criterion, minGain, shapes } = readScanSettings(work, columns);
  for (let e = 0; e < count; e++) {
    const sums = (work.sums[e] as HistogramBuffer).sums;
    const totals = work.totals.subarray(2 * e, 2 * e + 2);
    const order = work.orders.subarray(columns * e, columns * (e + 1));
    searchNode(criterion, minGain, shapes, sums, totals, order, examined, scratch, best);
    writeResult(work, e, best);
  }
}

/**
 * Hands a level's split search of entries `0 … count − 1` of `work` to a helper thread: `start`
 * returns whether it was handed over, `finish` waits and returns whether the helper did it (else
 * the grower searches those nodes itself).
 */
export interface ScanRunner {
  readonly work: ScanWork;
  start(count: number, examined: number): boolean;
  finish(): boolean;
}
