/**
 * The split search's vocabulary: the criterion (how rows are scored), the record of the best split
 * of a node and the scratch space. The scores and the search are in split-search.ts.
 */

import { binSlots } from './binning.ts';

/** How rows are scored: the channels of the histograms and the split rules. */
export interface SplitCriterion {
  readonly channels: number;
  readonly boosting: boolean;
  readonly lambda: number;
  readonly alpha: number;
  readonly gamma: number;
  /** Smallest weight (hessian or row weight) of a child. */
  readonly minChildWeight: number;
  /**
   * Boosting's regularisation of categorical splits, as LightGBM's `cat_smooth`, `cat_l2` and
   * `max_cat_threshold`: categories are ordered by G / (H + smooth), a categorical cut is scored
   * with λ + l2, and at most `maxCut` categories are enumerated from either end of the order.
   * Both learners: a category holding less than `minRows` weight (rows, or hessian) in a node
   * takes no place of its own in the order and goes right with the other rare ones (LightGBM's
   * `min_data_per_group`); 0 lists every category.
   */
  readonly category: {
    readonly smooth: number;
    readonly l2: number;
    readonly maxCut: number;
    readonly minRows: number;
  };
}

/** The best split found so far at a node; reset with {@link resetSplit}. */
export interface SplitRecord {
  gain: number;
  feature: number;
  /** Numeric: the last bin on the left; −1 for a categorical split. */
  thresholdBin: number;
  missingLeft: boolean;
  /** Categorical: the bins on the left are `categoryBins[0 … categoryCount − 1]`. */
  readonly categoryBins: Int32Array;
  categoryCount: number;
  /** Channel sums of the left child. */
  readonly left: Float64Array;
}

/** A fresh record for `channels` channels. */
export function newSplitRecord(channels: number): SplitRecord {
  return {
    gain: 0,
    feature: -1,
    thresholdBin: -1,
    missingLeft: false,
    categoryBins: new Int32Array(binSlots),
    categoryCount: 0,
    left: new Float64Array(channels),
  };
}

/** Forgets the record's split: no split has a gain above `minGain`. */
export function resetSplit(record: SplitRecord, minGain: number): void {
  record.gain = minGain;
  record.feature = -1;
}

/** Scratch space of {@link searchFeature}, allocated once per learner. */
export interface SplitScratch {
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly withMissing: Float64Array;
  readonly order: Int32Array;
  readonly keys: Float64Array;
}

/** Scratch space for `channels` channels. */
export function newSplitScratch(channels: number): SplitScratch {
  return {
    left: new Float64Array(channels),
    right: new Float64Array(channels),
    withMissing: new Float64Array(channels),
    order: new Int32Array(binSlots),
    keys: new Float64Array(binSlots),
  };
}

/** Records a cut as the best split so far. */
export function recordSplit(
  best: SplitRecord,
  gain: number,
  feature: number,
  categorical: boolean,
  order: Int32Array,
  m: number,
  missingLeft: boolean,
): void {
  best.gain = gain;
  best.feature = feature;
  best.missingLeft = missingLeft;
  if (categorical) {
    best.thresholdBin = -1;
    for (let k = 0; k <= m; k++) best.categoryBins[k] = order[k] as number;
    best.categoryCount = m + 1;
  } else {
    best.thresholdBin = m; // numeric cuts run over the bins in order
  }
}
