/** The settings of the tree grower (grow-tree.ts) and what it returns. */

import type { SplitCriterion } from './split-record.ts';
import type { SerializedTree } from './types.ts';

/** How a tree grows: the criterion, the stopping rules and the feature draw at each node. */
export interface GrowSettings {
  readonly criterion: SplitCriterion;
  readonly maxDepth: number;
  /** Smallest weight (last channel) of a node that may be split. */
  readonly minSplitWeight: number;
  /** A split must gain more than this. */
  readonly minGain: number;
  /** Keep examining features past `featuresPerNode` until one varies in the node (scikit-learn's rule). */
  readonly keepLooking: boolean;
  /** Draw a random feature order at each node (else the candidates' order). */
  readonly shuffleFeatures: boolean;
  /** How to tell a pure node: binary share 0 or 1, a single class, or never. */
  readonly purity: 'binary' | 'classes' | 'none';
  /** Numbers per leaf. */
  readonly leafWidth: number;
  /** Writes a leaf's values for the channel sums `totals` into `out[at …]`. */
  readonly writeLeaf: (totals: Float64Array, out: number[], at: number) => void;
}

/** A grown tree and where its leaves' rows ended up in the row array. */
export interface GrownTree {
  readonly tree: SerializedTree;
  /** Leaf `k` is node `leafNode[k]`, holding rows `rows[leafStart[k] … leafEnd[k] − 1]`. */
  readonly leafNode: number[];
  readonly leafStart: number[];
  readonly leafEnd: number[];
}
