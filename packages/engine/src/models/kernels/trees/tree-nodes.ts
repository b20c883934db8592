/** Writing a tree's nodes as the growers (`grow-tree.ts`, `grow-levels.ts`) grow them. */

import type { Binned } from './binning.ts';
import type { SplitRecord } from './split-record.ts';
import type { SerializedTree } from './types.ts';

/** An empty tree. */
export function emptyTree(): SerializedTree {
  return {
    feature: [],
    threshold: [],
    category: [],
    missingLeft: [],
    left: [],
    right: [],
    value: [],
    categorySets: [],
  };
}

/** Appends a leaf of `leafWidth` values (zero) to `tree` and returns its id. */
export function appendNode(tree: SerializedTree, leafWidth = 1): number {
  const id = tree.feature.length;
  tree.feature.push(-1);
  tree.threshold.push(0);
  tree.category.push(-1);
  tree.missingLeft.push(0);
  tree.left.push(-1);
  tree.right.push(-1);
  for (let k = 0; k < leafWidth; k++) tree.value.push(0);
  return id;
}

/**
 * Makes node `id` split as `best` says: its feature, missing-value side, and raw threshold (the
 * upper edge of the last bin on the left) or the sorted category codes on the left.
 */
export function writeSplit(tree: SerializedTree, id: number, best: SplitRecord, binned: Binned): void {
  const feature = best.feature;
  tree.feature[id] = feature;
  tree.missingLeft[id] = best.missingLeft ? 1 : 0;
  if (best.thresholdBin >= 0) {
    const edges = binned.edges[feature] as Float64Array;
    tree.threshold[id] =
      best.thresholdBin < edges.length ? (edges[best.thresholdBin] as number) : Number.MAX_VALUE;
    return;
  }
  const codes = binned.codes[feature] as number[];
  tree.category[id] = tree.categorySets.length;
  tree.categorySets.push(
    Array.from(best.categoryBins.subarray(0, best.categoryCount), (bin) => codes[bin] as number).sort(
      (a, b) => a - b,
    ),
  );
}
