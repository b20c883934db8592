/**
 * Growing one tree on binned features, depth first. A node's histograms come from its parent's:
 * the smaller child's are built from its rows, the larger child's are the parent's minus the
 * smaller's, in place in the parent's buffer (parent-minus-sibling subtraction). With features
 * drawn per split (a forest), a node only needs the histograms of the features it examines, so
 * histograms are built lazily, per feature, and subtracted only for the features the larger
 * child will examine. Rows are partitioned in place (stably, so every node's rows stay in
 * ascending order and the column reads run forward).
 */

import type { Binned } from './binning.ts';
import type { GrownTree, GrowSettings } from './grow-settings.ts';
import {
  buildHistograms,
  type HistogramBuffer,
  type HistogramBuilder,
  HistogramPool,
  type RowStatistics,
  subtractFeatureHistogram,
  sumRows,
} from './histogram.ts';
import { partitionRows, type RowPartitioner } from './partition.ts';
import {
  newSplitRecord,
  newSplitScratch,
  resetSplit,
  type SplitRecord,
  type SplitScratch,
} from './split-record.ts';
import { scoreOf, searchFeature } from './split-search.ts';
import { appendNode, emptyTree, writeSplit } from './tree-nodes.ts';
import type { SerializedTree } from './types.ts';

/** Grows trees on one binned matrix; holds the scratch space every tree reuses. */
export class TreeGrower {
  private readonly pool: HistogramPool;
  private readonly scratch: SplitScratch;
  private readonly records: SplitRecord[] = [];
  private readonly totals: Float64Array[] = [];
  private readonly orders: Int32Array[] = [];
  private readonly lookup = new Uint8Array(256);
  private readonly wanted: Uint8Array;
  private readonly pending: Int32Array;
  private readonly moved: Int32Array;
  private readonly channels: number;
  /** Total gain of the splits on each feature, summed over every tree grown. */
  readonly gain: Float64Array;
  // The tree being grown.
  private rows: Int32Array = new Int32Array(0);
  private statistics!: RowStatistics;
  private candidates: Int32Array = new Int32Array(0);
  private candidateCount = 0;
  private featuresPerNode = 0;
  private random: () => number = () => 0;
  private tree!: SerializedTree;
  private leaves!: { leafNode: number[]; leafStart: number[]; leafEnd: number[] };

  private readonly builder: HistogramBuilder;
  private readonly partition: RowPartitioner;

  /**
   * `kernels.build` fills a node's histograms ({@link buildHistograms} by default) and
   * `kernels.partition` splits its rows ({@link partitionRows} by default). The forest grows its
   * trees here, depth first; boosting grows level by level (`grow-levels.ts`).
   */
  constructor(
    private readonly binned: Binned,
    private readonly settings: GrowSettings,
    kernels: { readonly build?: HistogramBuilder; readonly partition?: RowPartitioner } = {},
  ) {
    this.builder = kernels.build ?? buildHistograms;
    this.partition = kernels.partition ?? partitionRows;
    const { columns, rows } = binned;
    this.channels = settings.criterion.channels;
    this.pool = new HistogramPool(columns, this.channels);
    this.scratch = newSplitScratch(this.channels);
    for (let d = 0; d <= settings.maxDepth; d++) {
      this.records.push(newSplitRecord(this.channels));
      for (let side = 0; side < 2; side++) {
        this.totals.push(new Float64Array(this.channels));
        this.orders.push(new Int32Array(columns));
      }
    }
    this.wanted = new Uint8Array(columns);
    this.pending = new Int32Array(columns);
    this.moved = new Int32Array(rows);
    this.gain = new Float64Array(columns);
  }

  /**
   * Grows a tree on rows `rows[0 … count − 1]` (ascending; reordered in place) with the given
   * per-row statistics, examining only the features `candidates[0 … candidateCount − 1]`, of which
   * `featuresPerNode` at each node (drawn anew at each node when the settings shuffle).
   */
  grow(
    rows: Int32Array,
    count: number,
    statistics: RowStatistics,
    candidates: Int32Array,
    candidateCount: number,
    featuresPerNode: number,
    random: () => number,
  ): GrownTree {
    this.featuresPerNode = featuresPerNode;
    this.rows = rows;
    this.statistics = statistics;
    this.candidates = candidates;
    this.candidateCount = candidateCount;
    this.random = random;
    const tree = emptyTree();
    this.tree = tree;
    this.leaves = { leafNode: [], leafStart: [], leafEnd: [] };
    const rootTotals = this.totals[0] as Float64Array;
    sumRows(rootTotals, this.channels, rows, 0, count, statistics);
    this.drawOrder(0);
    const buffer = this.splittable(0, rootTotals) ? this.pool.acquire() : null;
    this.node(0, 0, count, 0, buffer);
    return { tree, ...this.leaves };
  }

  private splittable(depth: number, totals: Float64Array): boolean {
    const { maxDepth, minSplitWeight, purity } = this.settings;
    const last = this.channels - 1;
    const weight = totals[last] as number;
    if (depth >= maxDepth || weight < minSplitWeight || weight <= 0) return false;
    if (purity === 'binary') return (totals[0] as number) > 0 && (totals[0] as number) < weight;
    if (purity === 'classes') {
      let present = 0;
      for (let c = 0; c < last; c++) if ((totals[c] as number) > 0) present++;
      return present > 1;
    }
    return true;
  }

  /** Fills `orders[slot]` with the candidates, shuffled when the settings say so. */
  private drawOrder(slot: number): void {
    const order = this.orders[slot] as Int32Array;
    const count = this.candidateCount;
    order.set(this.candidates.subarray(0, count));
    if (!this.settings.shuffleFeatures) return;
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
  }

  /** Builds the histograms of `pending[0 … count − 1]` for rows `rows[start … end − 1]`. */
  private build(buffer: HistogramBuffer, count: number, start: number, end: number): void {
    if (count === 0) return;
    const { bins, columns } = this.binned;
    this.builder(
      buffer,
      this.pending,
      count,
      this.channels,
      bins,
      columns,
      this.rows,
      start,
      end,
      this.statistics,
    );
  }

  /** Grows the node of rows `rows[start … end − 1]` at `depth`, its sums and feature order in `slot`. */
  private node(
    depth: number,
    start: number,
    end: number,
    slot: number,
    buffer: HistogramBuffer | null,
  ): number {
    const tree = this.tree;
    const id = appendNode(tree, this.settings.leafWidth);
    const totals = this.totals[slot] as Float64Array;
    const best = this.records[depth] as SplitRecord;
    if (buffer !== null) this.findSplit(buffer, start, end, totals, slot, best);
    if (buffer === null || best.feature < 0) {
      if (buffer !== null) this.pool.release(buffer);
      this.settings.writeLeaf(totals, tree.value, id * this.settings.leafWidth);
      this.leaves.leafNode.push(id);
      this.leaves.leafStart.push(start);
      this.leaves.leafEnd.push(end);
      return id;
    }
    const feature = best.feature;
    this.gain[feature] = (this.gain[feature] as number) + best.gain;
    const middle = this.partition(this.binned, this.rows, this.moved, this.lookup, best, start, end);
    writeSplit(tree, id, best, this.binned);
    // Children's sums and feature orders (slots of depth + 1), then their histograms.
    const leftSlot = (depth + 1) * 2;
    const rightSlot = leftSlot + 1;
    const leftTotals = this.totals[leftSlot] as Float64Array;
    const rightTotals = this.totals[rightSlot] as Float64Array;
    leftTotals.set(best.left);
    for (let c = 0; c < this.channels; c++) rightTotals[c] = (totals[c] as number) - (best.left[c] as number);
    const leftGrows = this.splittable(depth + 1, leftTotals);
    const rightGrows = this.splittable(depth + 1, rightTotals);
    if (leftGrows) this.drawOrder(leftSlot);
    if (rightGrows) this.drawOrder(rightSlot);
    const smallIsLeft = middle - start <= end - middle;
    const [smallStart, smallEnd, largeStart, largeEnd] = smallIsLeft
      ? [start, middle, middle, end]
      : [middle, end, start, middle];
    const smallGrows = smallIsLeft ? leftGrows : rightGrows;
    const largeGrows = smallIsLeft ? rightGrows : leftGrows;
    const largeSlot = smallIsLeft ? rightSlot : leftSlot;
    let smallBuffer: HistogramBuffer | null = smallGrows ? this.pool.acquire() : null;
    if (largeGrows) {
      // The larger child's first features: parent − smaller child, where the parent's is ready.
      const order = this.orders[largeSlot] as Int32Array;
      const wanted = this.wanted;
      wanted.fill(0);
      const count = Math.min(this.featuresPerNode, this.candidateCount);
      let pending = 0;
      for (let k = 0; k < count; k++) {
        const f = order[k] as number;
        wanted[f] = 1;
        if (buffer.ready[f]) this.pending[pending++] = f;
      }
      if (pending > 0) {
        smallBuffer ??= this.pool.acquire();
        this.build(smallBuffer, pending, smallStart, smallEnd);
        for (let k = 0; k < pending; k++) {
          subtractFeatureHistogram(buffer, smallBuffer, this.pending[k] as number, this.channels);
        }
      }
      for (let f = 0; f < wanted.length; f++) if (!wanted[f]) buffer.ready[f] = 0;
    } else {
      this.pool.release(buffer);
    }
    if (!smallGrows && smallBuffer !== null) {
      this.pool.release(smallBuffer);
      smallBuffer = null;
    }
    const smallId = this.node(
      depth + 1,
      smallStart,
      smallEnd,
      smallIsLeft ? leftSlot : rightSlot,
      smallBuffer,
    );
    const largeId = this.node(depth + 1, largeStart, largeEnd, largeSlot, largeGrows ? buffer : null);
    tree.left[id] = smallIsLeft ? smallId : largeId;
    tree.right[id] = smallIsLeft ? largeId : smallId;
    return id;
  }

  /** Examines the node's features in its drawn order and leaves the best split in `best`. */
  private findSplit(
    buffer: HistogramBuffer,
    start: number,
    end: number,
    totals: Float64Array,
    slot: number,
    best: SplitRecord,
  ): void {
    const { criterion, keepLooking, minGain } = this.settings;
    const featuresPerNode = this.featuresPerNode;
    const { binCount, codes } = this.binned;
    const parentScore = scoreOf(criterion, totals, 0);
    // Gains within rounding of the parent's score are no gains.
    resetSplit(best, minGain + 1e-10 * Math.abs(parentScore));
    const order = this.orders[slot] as Int32Array;
    // The first featuresPerNode features' histograms in one pass; later ones (scikit-learn's
    // rule, when none of those varies in the node) one at a time.
    let pending = 0;
    for (let k = 0; k < Math.min(featuresPerNode, this.candidateCount); k++) {
      const f = order[k] as number;
      if (!buffer.ready[f]) this.pending[pending++] = f;
    }
    this.build(buffer, pending, start, end);
    let examined = 0;
    for (let k = 0; k < this.candidateCount; k++) {
      if (examined >= featuresPerNode && (best.feature >= 0 || !keepLooking)) break;
      const f = order[k] as number;
      if (!buffer.ready[f]) {
        this.pending[0] = f;
        this.build(buffer, 1, start, end);
      }
      const categorical = (codes[f] as number[]).length > 0;
      const varies = searchFeature(
        criterion,
        buffer.sums,
        f,
        binCount[f] as number,
        categorical,
        totals,
        parentScore,
        this.scratch,
        best,
      );
      if (varies || !keepLooking) examined++;
    }
  }
}
