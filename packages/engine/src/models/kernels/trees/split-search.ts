/**
 * Finding the best split of one feature from its histogram. The score of a set of rows S is
 *
 * - boosting (Chen & Guestrin 2016, eq. 7): T_α(G)² / (H + λ), with G, H the gradient and hessian
 *   sums and T_α the soft threshold of the L1 penalty; a split's gain is
 *   ½ [score(L) + score(R) − score(L ∪ R)] − γ;
 * - forest: Σ_c S_c² / W over the target channels (class weights, or weight × target for a
 *   regressor), so that score(L) + score(R) − score(L ∪ R) is the weighted decrease of the Gini
 *   impurity (classes) or of the squared error (regression, and binary classes up to a factor 2).
 *
 * A numeric feature tries every cut between bins, with the missing values on either side (their
 * direction is learned). A categorical feature sorts its categories by the statistic of the
 * target (mean gradient ratio G / (H + λ), class share or mean) and tries every cut of that order,
 * as LightGBM does; with three or more classes it tries one order per class.
 */

import { binSlots, missingBin } from './binning.ts';
import { recordSplit, type SplitCriterion, type SplitRecord, type SplitScratch } from './split-record.ts';

// The scores live here, beside the loops that call them for every bin (a call into another module
// costs a property read per call where modules are compiled to CommonJS, as under tsx).

/**
 * The weight at or below which a histogram slot counts as empty: a slot of a histogram obtained by
 * subtraction holds rounding residue (about 1e-16 of the node's weight) where no row fell.
 * Forest weights are integers, so any value below 1 would do there.
 */
function emptyWeight(nodeWeight: number): number {
  return 1e-13 * Math.abs(nodeWeight);
}

/** The score of the channel sums at `sums[at …]` (see the file header). */
export function scoreOf(criterion: SplitCriterion, sums: Float64Array, at: number): number {
  const channels = criterion.channels;
  const weight = sums[at + channels - 1] as number;
  if (criterion.boosting) {
    const g = sums[at] as number;
    const alpha = criterion.alpha;
    const t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
    return (t * t) / (weight + criterion.lambda);
  }
  if (weight <= 0) return 0;
  let squares = 0;
  for (let c = 0; c < channels - 1; c++) squares += (sums[at + c] as number) ** 2;
  return squares / weight;
}

/** {@link scoreOf} of two channels: sum `g`, weight `w`. */
function pairScore(boosting: boolean, g: number, w: number, lambda: number, alpha: number): number {
  if (!boosting) return (g * g) / w;
  const t = g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
  return (t * t) / (w + lambda);
}

/**
 * {@link scanOrder} for two channels (boosting's G and H; a forest's weight × target and weight),
 * in scalars: the common case, and the hot loop of small nodes.
 */
function scanPairs(
  criterion: SplitCriterion,
  sums: Float64Array,
  base: number,
  order: Int32Array,
  count: number,
  totals: Float64Array,
  parentScore: number,
  feature: number,
  categorical: boolean,
  best: SplitRecord,
  lambda: number,
  limit: number,
): void {
  const { boosting, alpha, gamma, minChildWeight } = criterion;
  const missingAt = base + 2 * missingBin;
  const missingSum = sums[missingAt] as number;
  const missingWeight = sums[missingAt + 1] as number;
  const totalSum = totals[0] as number;
  const totalWeight = totals[1] as number;
  const empty = emptyWeight(totalWeight);
  const hasMissing = missingWeight > empty;
  let leftSum = 0;
  let leftWeight = 0;
  const end = Math.min(limit, count - (categorical && !hasMissing ? 1 : 0));
  for (let m = 0; m < end; m++) {
    // Numeric cuts scan the bins in order; categorical ones in the sorted order of `order`.
    const at = base + 2 * (categorical ? (order[m] as number) : m);
    const binWeight = sums[at + 1] as number;
    if (binWeight <= empty) continue;
    leftSum += sums[at] as number;
    leftWeight += binWeight;
    for (let side = 0; side < (hasMissing ? 2 : 1); side++) {
      const g = side === 0 ? leftSum : leftSum + missingSum;
      const w = side === 0 ? leftWeight : leftWeight + missingWeight;
      const rightWeight = totalWeight - w;
      if (w < minChildWeight || rightWeight < minChildWeight || w <= empty || rightWeight <= empty) continue;
      const raw =
        pairScore(boosting, g, w, lambda, alpha) +
        pairScore(boosting, totalSum - g, rightWeight, lambda, alpha) -
        parentScore;
      const gain = boosting ? 0.5 * raw - gamma : raw;
      if (gain > best.gain) {
        recordSplit(
          best,
          gain,
          feature,
          categorical,
          order,
          m,
          side === 1 || (!hasMissing && w >= rightWeight),
        );
        best.left[0] = g;
        best.left[1] = w;
      }
    }
  }
}

/**
 * Tries the cuts of `order[0 … count − 1]` (bins in scan order): after each prefix, the prefix goes
 * left, with the missing bin on the right and then on the left. Updates `best` when a cut beats it.
 */
function scanOrder(
  criterion: SplitCriterion,
  sums: Float64Array,
  base: number,
  order: Int32Array,
  count: number,
  totals: Float64Array,
  parentScore: number,
  feature: number,
  categorical: boolean,
  scratch: SplitScratch,
  best: SplitRecord,
  lambda = criterion.lambda,
  limit = count,
): void {
  const channels = criterion.channels;
  if (channels === 2) {
    scanPairs(
      criterion,
      sums,
      base,
      order,
      count,
      totals,
      parentScore,
      feature,
      categorical,
      best,
      lambda,
      limit,
    );
    return;
  }
  const last = channels - 1;
  const { left, right, withMissing } = scratch;
  const missingAt = base + missingBin * channels;
  const missingWeight = sums[missingAt + last] as number;
  const totalWeight = totals[last] as number;
  const minChild = criterion.minChildWeight;
  const empty = emptyWeight(totalWeight);
  left.fill(0);
  for (let m = 0; m < count - (categorical && missingWeight <= empty ? 1 : 0); m++) {
    const at = base + (order[m] as number) * channels;
    // An empty bin leaves the cut where the previous one was: nothing new to score.
    if ((sums[at + last] as number) <= empty) continue;
    for (let c = 0; c < channels; c++) left[c] = (left[c] as number) + (sums[at + c] as number);
    for (let side = 0; side < 2; side++) {
      if (side === 1 && missingWeight <= empty) break;
      const cut = side === 0 ? left : withMissing;
      if (side === 1)
        for (let c = 0; c < channels; c++) cut[c] = (left[c] as number) + (sums[missingAt + c] as number);
      const leftWeight = cut[last] as number;
      const rightWeight = totalWeight - leftWeight;
      if (leftWeight < minChild || rightWeight < minChild || leftWeight <= empty || rightWeight <= empty)
        continue;
      for (let c = 0; c < channels; c++) right[c] = (totals[c] as number) - (cut[c] as number);
      const raw = scoreOf(criterion, cut, 0) + scoreOf(criterion, right, 0) - parentScore;
      const gain = criterion.boosting ? 0.5 * raw - criterion.gamma : raw;
      if (gain > best.gain) {
        recordSplit(
          best,
          gain,
          feature,
          categorical,
          order,
          m,
          side === 1 || (missingWeight <= empty && leftWeight >= rightWeight),
        );
        best.left.set(cut);
      }
    }
  }
}

/**
 * Searches feature `feature`'s histogram (in `sums`) for a split better than `best` and records it
 * there. `binCount` is the feature's number of value bins; `totals` the node's channel sums and
 * `parentScore` their score. Returns whether the feature varies in the node (its rows fill two
 * slots or more, the missing slot included).
 */
export function searchFeature(
  criterion: SplitCriterion,
  sums: Float64Array,
  feature: number,
  binCount: number,
  categorical: boolean,
  totals: Float64Array,
  parentScore: number,
  scratch: SplitScratch,
  best: SplitRecord,
): boolean {
  const channels = criterion.channels;
  const last = channels - 1;
  const base = feature * binSlots * channels;
  const { order, keys } = scratch;
  const empty = emptyWeight(totals[last] as number);
  const hasMissing = (sums[base + missingBin * channels + last] as number) > empty;
  let filled = hasMissing ? 1 : 0;
  for (let b = 0; b < binCount && filled < 2; b++) {
    if ((sums[base + b * channels + last] as number) > empty) filled++;
  }
  if (filled < 2) return false;
  if (!categorical) {
    // Cuts after bins 0 … binCount − 2, and after the last bin when there are missing values
    // (all present values left, missing right: the split "is it missing?").
    if (channels !== 2) for (let b = 0; b < binCount; b++) order[b] = b;
    const cuts = hasMissing ? binCount : binCount - 1;
    scanOrder(criterion, sums, base, order, cuts, totals, parentScore, feature, false, scratch, best);
    return true;
  }
  let count = 0;
  const minRows = Math.max(empty, criterion.category.minRows);
  for (let b = 0; b < binCount; b++) {
    const weight = sums[base + b * channels + last] as number;
    if (weight > empty && weight >= minRows) order[count++] = b;
  }
  const { boosting, category } = criterion;
  const orderings = boosting || channels <= 2 ? 1 : channels - 1;
  for (let k = 0; k < orderings; k++) {
    for (let m = 0; m < count; m++) {
      const at = base + (order[m] as number) * channels;
      const weight = sums[at + last] as number;
      keys[m] = boosting
        ? (sums[at] as number) / (weight + category.smooth)
        : (sums[at + k] as number) / weight;
    }
    // Insertion sort of at most 255 categories by key (ties keep bin order: deterministic).
    for (let m = 1; m < count; m++) {
      const key = keys[m] as number;
      const bin = order[m] as number;
      let p = m - 1;
      while (p >= 0 && (keys[p] as number) > key) {
        keys[p + 1] = keys[p] as number;
        order[p + 1] = order[p] as number;
        p--;
      }
      keys[p + 1] = key;
      order[p + 1] = bin;
    }
    if (!boosting) {
      scanOrder(criterion, sums, base, order, count, totals, parentScore, feature, true, scratch, best);
      continue;
    }
    // Boosting: both ends of the order, at most maxCut categories each, scored with λ + l2.
    const lambda = criterion.lambda + category.l2;
    const parent = pairScore(true, totals[0] as number, totals[1] as number, lambda, criterion.alpha);
    for (const end of ['low', 'high']) {
      if (end === 'high') order.subarray(0, count).reverse();
      scanOrder(
        criterion,
        sums,
        base,
        order,
        count,
        totals,
        parent,
        feature,
        true,
        scratch,
        best,
        lambda,
        category.maxCut,
      );
    }
  }
  return true;
}
