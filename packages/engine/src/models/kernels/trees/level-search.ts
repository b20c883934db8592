/**
 * Searching the best split of every node of a boosting tree's level (`grow-levels.ts`): the
 * feature orders are drawn first, in level order (as one thread draws them), then the grower
 * searches the first half of the nodes while a helper thread, when one serves, searches the other
 * half (`level-scan.ts`). Each node is searched whole by one thread with the same numbers, so the
 * splits are those of one thread, ties included.
 */

import { type Binned, binSlots, missingBin } from './binning.ts';
import type { GrowSettings } from './grow-settings.ts';
import type { HistogramBuffer } from './histogram.ts';
import {
  type FeatureShapes,
  readResult,
  type ScanRunner,
  searchNode,
  writeScanSettings,
} from './level-scan.ts';
import { levelCapacity } from './level-work.ts';
import { newSplitRecord, newSplitScratch, type SplitRecord } from './split-record.ts';

/**
 * Searched nodes of a level from which the helper searches half of them: a hand-off costs about
 * one node's search, and the histograms of the nodes handed over are copied to shared memory.
 */
const scanMinimumNodes = 4;

/** A node to search: its sums, its histograms (none: not searched) and, once searched, its best split. */
export interface SearchedNode {
  readonly totals: Float64Array;
  readonly buffer: HistogramBuffer | null;
  best: SplitRecord | null;
}

/** Searches the splits of a level's nodes, half of them on a helper thread when `runner` is given. */
export class LevelSearch {
  private readonly scratch = newSplitScratch(2);
  /** A record and a feature order per searched node of the level. */
  private readonly records: SplitRecord[] = [];
  private readonly orders: Int32Array[] = [];
  private readonly shapes: FeatureShapes;
  private readonly capacity: number;

  constructor(
    private readonly binned: Binned,
    private readonly settings: GrowSettings,
    private readonly runner: ScanRunner | null,
  ) {
    this.shapes = {
      binCount: binned.binCount,
      categorical: binned.codes.map((codes) => codes.length > 0),
    };
    this.capacity = levelCapacity(binned.columns);
    if (runner !== null) writeScanSettings(runner.work, settings.criterion, settings.minGain, this.shapes);
  }

  /**
   * Searches the best split of every node of `level` that has histograms. The feature orders are
   * drawn first, in level order; with a helper and at least `scanMinimumNodes` such nodes, the
   * helper searches the last half of them (their histograms copied to the shared slots) while
   * the grower searches the first half.
   */
  search(
    level: readonly SearchedNode[],
    candidates: Int32Array,
    candidateCount: number,
    featuresPerNode: number,
    random: () => number,
  ): void {
    const scanned = level.filter((node) => node.buffer !== null);
    const examined = Math.min(featuresPerNode, candidateCount);
    scanned.forEach((node, i) => {
      while (this.records.length <= i) {
        this.records.push(newSplitRecord(2));
        this.orders.push(new Int32Array(this.binned.columns));
      }
      node.best = this.records[i] as SplitRecord;
      this.drawOrder(this.orders[i] as Int32Array, candidates, candidateCount, random);
    });
    const runner = this.runner;
    const handed =
      runner !== null && scanned.length >= scanMinimumNodes
        ? Math.min(scanned.length >> 1, this.capacity)
        : 0;
    const own = scanned.length - handed;
    let started = false;
    if (runner !== null && handed > 0) {
      const { work } = runner;
      const columns = this.binned.columns;
      for (let e = 0; e < handed; e++) {
        const node = scanned[own + e] as SearchedNode;
        const order = this.orders[own + e] as Int32Array;
        const into = (work.sums[e] as HistogramBuffer).sums;
        copySearchedBins(into, (node.buffer as HistogramBuffer).sums, order, examined, this.shapes.binCount);
        work.totals.set(node.totals, 2 * e);
        work.orders.set(order.subarray(0, examined), columns * e);
      }
      started = runner.start(handed, examined);
    }
    const searchOne = (i: number) => {
      const node = scanned[i] as SearchedNode;
      const { criterion, minGain } = this.settings;
      const sums = (node.buffer as HistogramBuffer).sums;
      const order = this.orders[i] as Int32Array;
      searchNode(
        criterion,
        minGain,
        this.shapes,
        sums,
        node.totals,
        order,
        examined,
        this.scratch,
        node.best as SplitRecord,
      );
    };
    for (let i = 0; i < own; i++) searchOne(i);
    if (runner !== null && started && runner.finish()) {
      for (let e = 0; e < handed; e++) readResult(runner.work, e, this.records[own + e] as SplitRecord);
    } else for (let i = own; i < scanned.length; i++) searchOne(i);
  }

  /** Writes the candidates into `order`, shuffled when the settings draw features per node. */
  private drawOrder(
    order: Int32Array,
    candidates: Int32Array,
    candidateCount: number,
    random: () => number,
  ): void {
    order.set(candidates.subarray(0, candidateCount));
    if (!this.settings.shuffleFeatures) return;
    for (let i = candidateCount - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
  }
}

/**
 * Copies into `into` the histogram slots a search of `order[0 … examined − 1]` reads: each
 * feature's `binCount[f]` value bins and its missing bin (`searchNode` reads no other).
 */
function copySearchedBins(
  into: Float64Array,
  from: Float64Array,
  order: Int32Array,
  examined: number,
  binCount: ArrayLike<number>,
): void {
  for (let k = 0; k < examined; k++) {
    const f = order[k] as number;
    const base = f * binSlots * 2;
    into.set(from.subarray(base, base + 2 * (binCount[f] as number)), base);
    const missingAt = base + 2 * missingBin;
    into[missingAt] = from[missingAt] as number;
    into[missingAt + 1] = from[missingAt + 1] as number;
  }
}
