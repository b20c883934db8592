/**
 * Growing one boosting tree level by level (XGBoost's depth-wise `hist` growth), its rows in two
 * halves of positions: the first half's work is the grower's, the second's the helper thread's
 * when one serves (`level-work.ts`). At each level: every node's split is searched on its
 * histograms, then one pass per half partitions every split node's rows and sums the histograms
 * of each split's child of smaller hessian; the other child's are the parent's minus those
 * (parent-minus-sibling subtraction). So a tree takes one hand-off per level, not one per node.
 *
 * Arithmetic: a node's histogram is the sum over its rows in the first half plus the sum over its
 * rows in the second half (the larger child's: the parent's minus the smaller's), with or without
 * a helper. A node's rows are `rows[gs … ge − 1]` and `rows[hs … he − 1]`, each ascending.
 */

import type { Binned } from './binning.ts';
import type { GrownTree, GrowSettings } from './grow-settings.ts';
import { type HistogramBuffer, HistogramPool, type RowStatistics, sumRows } from './histogram.ts';
import type { ScanRunner } from './level-scan.ts';
import { LevelSearch } from './level-search.ts';
import {
  addSecondHalf,
  buildLeft,
  buildNone,
  buildRight,
  buildWhole,
  entryWidth,
  joinAndSubtract,
  type LevelWork,
  levelCapacity,
  newLevelArrays,
  runLevelWork,
  type SecondHalfRunner,
  setEntry,
} from './level-work.ts';
import { fillSideTable } from './partition.ts';
import type { SplitRecord } from './split-record.ts';
import { appendNode, emptyTree, writeSplit } from './tree-nodes.ts';
import type { SerializedTree } from './types.ts';

/** A node of the level being grown: its id, its two ranges of rows, its sums and histograms. */
interface LevelNode {
  readonly id: number;
  readonly depth: number;
  readonly gs: number;
  readonly ge: number;
  readonly hs: number;
  readonly he: number;
  readonly totals: Float64Array;
  buffer: HistogramBuffer | null;
  best: SplitRecord | null;
}

/** Grows boosting trees level by level on one binned matrix. */
export class LevelGrower {
  private readonly pool: HistogramPool;
  private readonly search: LevelSearch;
  private readonly moved: Int32Array;
  private readonly own: LevelWork;
  private readonly ownTargets: HistogramBuffer[] = [];
  private readonly capacity: number;
  /** Total gain of the splits on each feature, summed over every tree grown. */
  readonly gain: Float64Array;

  /**
   * `other` is the level work of the second half (shared memory when a helper serves) and
   * `runOther` hands it over; the second half is done here when it returns false. `scanOther`,
   * when given, hands the helper half of a level's split searches (see `level-scan.ts`).
   */
  constructor(
    private readonly binned: Binned,
    private readonly settings: GrowSettings,
    private readonly other: LevelWork,
    private readonly runOther: SecondHalfRunner,
    scanOther: ScanRunner | null = null,
  ) {
    const { columns, rows } = binned;
    this.pool = new HistogramPool(columns, 2);
    this.search = new LevelSearch(binned, settings, scanOther);
    this.moved = new Int32Array(rows);
    const arrays = newLevelArrays(columns, (bytes) => new ArrayBuffer(bytes), false);
    // The first half's sums go straight into the nodes' own buffers (`ownTargets`).
    this.own = { entries: arrays.entries, lookups: arrays.lookups, sums: this.ownTargets };
    this.capacity = levelCapacity(columns);
    this.gain = new Float64Array(columns);
  }

  /**
   * Grows a tree on rows `rows[0 … count − 1]` (ascending; reordered in place) with the (g, h)
   * pairs of `statistics`, on the features `candidates[0 … candidateCount − 1]` (ascending), of
   * which `featuresPerNode` at each node (drawn anew at each node when the settings shuffle).
   * Leaves come back as two ranges each (one per half; either may be empty).
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
    const tree = emptyTree();
    const leaves = { leafNode: [] as number[], leafStart: [] as number[], leafEnd: [] as number[] };
    const half = count >> 1;
    const rootTotals = new Float64Array(2);
    sumRows(rootTotals, 2, rows, 0, count, statistics);
    const root = this.newNode(tree, 0, [0, half, half, count], rootTotals);
    let level: LevelNode[] = [root];
    if (this.splittable(0, rootTotals)) {
      root.buffer = this.pool.acquire();
      const at = 0;
      setEntry(this.own, at, -1, 0, half, buildWhole);
      setEntry(this.other, at, -1, half, count, buildWhole);
      this.ownTargets[at] = root.buffer;
      this.runLevel(1, candidates, candidateCount, rows, count, statistics);
      addSecondHalf(root.buffer, this.other, at, candidates, candidateCount, this.binned.binCount);
    }
    while (level.length > 0) {
      this.search.search(level, candidates, candidateCount, featuresPerNode, random);
      const splitting: LevelNode[] = [];
      for (const node of level) {
        if (node.best === null || node.best.feature < 0) {
          if (node.buffer !== null) this.pool.release(node.buffer);
          this.settings.writeLeaf(node.totals, tree.value, node.id);
          leaves.leafNode.push(node.id, node.id);
          leaves.leafStart.push(node.gs, node.hs);
          leaves.leafEnd.push(node.ge, node.he);
        } else splitting.push(node);
      }
      const next: LevelNode[] = [];
      for (let first = 0; first < splitting.length; first += this.capacity) {
        const chunk = splitting.slice(first, first + this.capacity);
        next.push(...this.splitChunk(tree, chunk, candidates, candidateCount, rows, statistics));
      }
      level = next;
    }
    return { tree, ...leaves };
  }

  /** Appends a node to the tree (a leaf until split). */
  private newNode(
    tree: SerializedTree,
    depth: number,
    ranges: readonly number[],
    totals: Float64Array,
  ): LevelNode {
    const id = appendNode(tree);
    const [gs, ge, hs, he] = ranges as [number, number, number, number];
    return { id, depth, gs, ge, hs, he, totals, buffer: null, best: null };
  }

  private splittable(depth: number, totals: Float64Array): boolean {
    const weight = totals[1] as number;
    return depth < this.settings.maxDepth && weight >= this.settings.minSplitWeight && weight > 0;
  }

  /** Runs `count` entries on both halves: the second on the helper when it serves. */
  private runLevel(
    count: number,
    features: Int32Array,
    featureCount: number,
    rows: Int32Array,
    levelRows: number,
    statistics: RowStatistics,
  ): void {
    const { bins, columns } = this.binned;
    const started = this.runOther.start(this.other, count, features, featureCount, rows, levelRows);
    runLevelWork(this.own, count, features, featureCount, bins, columns, rows, this.moved, statistics);
    if (started && this.runOther.finish()) return;
    runLevelWork(this.other, count, features, featureCount, bins, columns, rows, this.moved, statistics);
  }

  /** Splits the nodes of `chunk` (at most `capacity`): records the splits, partitions, builds the children's histograms. */
  private splitChunk(
    tree: SerializedTree,
    chunk: readonly LevelNode[],
    candidates: Int32Array,
    candidateCount: number,
    rows: Int32Array,
    statistics: RowStatistics,
  ): LevelNode[] {
    const plans: {
      leftTotals: Float64Array;
      rightTotals: Float64Array;
      leftGrows: boolean;
      rightGrows: boolean;
      smallIsLeft: boolean;
    }[] = [];
    chunk.forEach((node, e) => {
      const best = node.best as SplitRecord;
      const feature = best.feature;
      this.gain[feature] = (this.gain[feature] as number) + best.gain;
      writeSplit(tree, node.id, best, this.binned);
      const leftTotals = Float64Array.from(best.left);
      const rightTotals = new Float64Array(2);
      for (let c = 0; c < 2; c++) rightTotals[c] = (node.totals[c] as number) - (best.left[c] as number);
      const leftGrows = this.splittable(node.depth + 1, leftTotals);
      const rightGrows = this.splittable(node.depth + 1, rightTotals);
      // The child of smaller hessian is built, the other is the parent minus it.
      const smallIsLeft = (leftTotals[1] as number) <= (rightTotals[1] as number);
      const side = !leftGrows && !rightGrows ? buildNone : smallIsLeft ? buildLeft : buildRight;
      fillSideTable(this.own.lookups.subarray(e * 256, (e + 1) * 256), best);
      this.other.lookups.set(this.own.lookups.subarray(e * 256, (e + 1) * 256), e * 256);
      setEntry(this.own, e, feature, node.gs, node.ge, side);
      if (side !== buildNone) this.ownTargets[e] = this.pool.acquire();
      setEntry(this.other, e, feature, node.hs, node.he, side);
      plans.push({ leftTotals, rightTotals, leftGrows, rightGrows, smallIsLeft });
    });
    let levelRows = 0;
    for (const node of chunk) levelRows += node.ge - node.gs + node.he - node.hs;
    this.runLevel(chunk.length, candidates, candidateCount, rows, levelRows, statistics);
    const children: LevelNode[] = [];
    chunk.forEach((node, e) => {
      const plan = plans[e] as (typeof plans)[number];
      const leftOfFirst = this.own.entries[e * entryWidth + 4] as number;
      const leftOfSecond = this.other.entries[e * entryWidth + 4] as number;
      const depth = node.depth + 1;
      const left = this.newNode(
        tree,
        depth,
        [node.gs, node.gs + leftOfFirst, node.hs, node.hs + leftOfSecond],
        plan.leftTotals,
      );
      const right = this.newNode(
        tree,
        depth,
        [node.gs + leftOfFirst, node.ge, node.hs + leftOfSecond, node.he],
        plan.rightTotals,
      );
      tree.left[node.id] = left.id;
      tree.right[node.id] = right.id;
      const parent = node.buffer as HistogramBuffer;
      node.buffer = null;
      if (plan.leftGrows || plan.rightGrows) {
        const [small, large] = plan.smallIsLeft ? [left, right] : [right, left];
        const smallGrows = plan.smallIsLeft ? plan.leftGrows : plan.rightGrows;
        const largeGrows = plan.smallIsLeft ? plan.rightGrows : plan.leftGrows;
        const built = this.ownTargets[e] as HistogramBuffer;
        const { binCount } = this.binned;
        joinAndSubtract(
          built,
          this.other,
          e,
          largeGrows ? parent : null,
          candidates,
          candidateCount,
          binCount,
        );
        if (largeGrows) large.buffer = parent;
        else this.pool.release(parent);
        if (smallGrows) small.buffer = built;
        else this.pool.release(built);
      } else this.pool.release(parent);
      children.push(left, right);
    });
    return children;
  }
}
