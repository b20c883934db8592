/**
 * Boosting's kernels split in two halves of a node's rows: histograms, partitions and the margin
 * step after each tree. With a {@link HelperLink} whose helper serves, the second half runs on the
 * helper thread; without one (or when the helper is gone), the grower does it itself, in the same
 * order, so the numbers never depend on the helper.
 *
 * Arithmetic: a large node's histogram is the sum over the first half of its rows plus the sum
 * over the second half (not one running sum over all of them), on one thread as on two. The
 * partition and the margin step are row by row: identical however they are split.
 */

import { type Binned, binnedOf, binRows, binSlots, type ColumnBins, fitBins, fitColumn } from './binning.ts';
import { type SingleOutputLoss, stepRows } from './boosted-step.ts';
import { buildHistograms, type HistogramBuffer, type HistogramBuilder } from './histogram.ts';
import { fillSideTable, partitionRows, type RowPartitioner, splitRange } from './partition.ts';
import { type HelperLink, readColumnBins, sharedLeafCapacity, writeColumnBins } from './shared-histograms.ts';

/**
 * Row-features from which a node's histograms are built in two halves: the hand-off costs a few
 * microseconds, about what 4,000 row-features take to sum.
 */
const halvesMinimumWork = 16_384;
/** Rows from which a partition, the margin step and the binning are split between the threads. */
const partitionMinimumRows = 16_384;

/**
 * `fitBins` with the helper: it fits the odd features' bins while the grower fits the even ones,
 * then each bins half of the rows, into the shared matrix. The same bins as `fitBins`.
 */
export function fitBinsInHalves(
  values: Float64Array,
  rows: number,
  columns: number,
  isCategorical: Uint8Array,
  maxBins: number,
  link?: HelperLink,
): Binned {
  const memory = link?.memory;
  if (link === undefined || memory === undefined || rows < partitionMinimumRows || !link.available) {
    return fitBins(values, rows, columns, isCategorical, maxBins);
  }
  if (values.buffer !== memory.values.buffer) memory.values.set(values);
  link.fitOddColumns(isCategorical, maxBins);
  const present = new Float64Array(rows);
  const fitted: ColumnBins[] = [];
  const fit = (j: number) => fitColumn(memory.values, rows, j, isCategorical[j] === 1, maxBins, present);
  for (let j = 0; j < columns; j += 2) {
    fitted[j] = fit(j);
    writeColumnBins(memory, j, fitted[j] as ColumnBins);
  }
  const helped = link.finish();
  for (let j = 1; j < columns; j += 2) {
    if (helped) fitted[j] = readColumnBins(memory, j, isCategorical[j] === 1);
    else {
      fitted[j] = fit(j);
      writeColumnBins(memory, j, fitted[j] as ColumnBins);
    }
  }
  const middle = rows >> 1;
  const canHelp = link.available;
  if (canHelp) link.binRows(middle, rows);
  binRows(memory.values, rows, fitted, memory.bins, 0, middle);
  if (!canHelp || !link.finish()) binRows(memory.values, rows, fitted, memory.bins, middle, rows);
  return binnedOf(fitted, memory.bins, rows);
}

/**
 * A {@link HistogramBuilder} for (g, h) pairs that builds large nodes in two halves of their rows
 * (the second on the helper when `link` serves, else into `scratch` here) and adds them.
 */
export function halvedHistogramBuilder(scratch: HistogramBuffer, link?: HelperLink): HistogramBuilder {
  const width = binSlots * 2;
  return (buffer, features, featureCount, channels, bins, columns, rows, start, end, statistics) => {
    if ((end - start) * featureCount < halvesMinimumWork || statistics.layout !== 'pairs' || channels !== 2) {
      buildHistograms(buffer, features, featureCount, channels, bins, columns, rows, start, end, statistics);
      return;
    }
    const middle = start + ((end - start) >> 1);
    const memory = link?.memory;
    const shared =
      link !== undefined &&
      memory !== undefined &&
      link.available &&
      statistics.stats.buffer === memory.stats.buffer &&
      rows.buffer === memory.order.buffer &&
      bins.buffer === memory.bins.buffer;
    if (shared) link.histograms(features, featureCount, middle, end);
    buildHistograms(buffer, features, featureCount, channels, bins, columns, rows, start, middle, statistics);
    let second = scratch.sums;
    if (shared && link.finish()) second = memory.sums;
    else
      buildHistograms(
        scratch,
        features,
        featureCount,
        channels,
        bins,
        columns,
        rows,
        middle,
        end,
        statistics,
      );
    const sums = buffer.sums;
    for (let k = 0; k < featureCount; k++) {
      const base = (features[k] as number) * width;
      for (let at = base; at < base + width; at++) sums[at] = (sums[at] as number) + (second[at] as number);
    }
  };
}

/**
 * A {@link RowPartitioner} that splits large nodes' partitions with the helper: each thread moves
 * its half's left rows to the front of that half and its right rows to `memory.moved`, then the
 * grower joins them (left of the first half, left of the second, right of the first, right of the
 * second): the stable partition {@link partitionRows} gives.
 */
export function parallelPartitioner(link: HelperLink): RowPartitioner {
  const { memory } = link;
  return (binned, rows, moved, lookup, best, start, end) => {
    const usable =
      end - start >= partitionMinimumRows &&
      link.available &&
      rows.buffer === memory.order.buffer &&
      binned.bins.buffer === memory.bins.buffer;
    if (!usable) return partitionRows(binned, rows, moved, lookup, best, start, end);
    const { bins, columns } = binned;
    const feature = best.feature;
    fillSideTable(memory.lookup, best);
    const middle = start + ((end - start) >> 1);
    link.partition(feature, middle, end);
    const leftOfFirst = splitRange(bins, columns, feature, memory.lookup, rows, memory.moved, start, middle);
    const leftOfSecond = link.finish()
      ? link.result
      : splitRange(bins, columns, feature, memory.lookup, rows, memory.moved, middle, end);
    const rightOfFirst = middle - start - leftOfFirst;
    const rightOfSecond = end - middle - leftOfSecond;
    const boundary = start + leftOfFirst + leftOfSecond;
    rows.copyWithin(start + leftOfFirst, middle, middle + leftOfSecond);
    rows.set(memory.moved.subarray(start, start + rightOfFirst), boundary);
    rows.set(memory.moved.subarray(middle, middle + rightOfSecond), boundary + rightOfFirst);
    return boundary;
  };
}

/** A grown tree's leaves: leaf `k` is node `leafNode[k]` and holds rows `rows[leafStart[k] … leafEnd[k] − 1]`. */
interface LeafRanges {
  readonly leafNode: readonly number[];
  readonly leafStart: readonly number[];
  readonly leafEnd: readonly number[];
}

/**
 * Adds the tree's leaf weights (`value[leafNode[k]]`) to the margins of the rows `rows[0 … count − 1]`
 * and writes their next (g, h) (see `stepRows`); the second half of the positions on the helper
 * when `link` serves and the arrays are the shared ones.
 */
export function stepInHalves(
  loss: SingleOutputLoss,
  leaves: LeafRanges,
  value: readonly number[],
  rows: Int32Array,
  count: number,
  margins: Float64Array,
  target: Float64Array,
  stats: Float64Array,
  scratch: Float64Array,
  link?: HelperLink,
): void {
  const leafCount = leaves.leafNode.length;
  const memory = link?.memory;
  const shared =
    link !== undefined &&
    memory !== undefined &&
    count >= partitionMinimumRows &&
    leafCount <= sharedLeafCapacity &&
    link.available &&
    rows.buffer === memory.order.buffer &&
    margins.buffer === memory.margins.buffer &&
    target.buffer === memory.target.buffer &&
    stats.buffer === memory.stats.buffer;
  const table = shared
    ? memory.leaves
    : scratch.length >= 3 * leafCount
      ? scratch
      : new Float64Array(3 * leafCount);
  for (let l = 0; l < leafCount; l++) {
    table[3 * l] = leaves.leafStart[l] as number;
    table[3 * l + 1] = leaves.leafEnd[l] as number;
    table[3 * l + 2] = value[leaves.leafNode[l] as number] as number;
  }
  if (!shared) {
    stepRows(loss, rows, table, leafCount, 0, count, margins, target, stats);
    return;
  }
  const middle = count >> 1;
  link.step(loss, leafCount, middle, count);
  stepRows(loss, rows, table, leafCount, 0, middle, margins, target, stats);
  if (!link.finish()) stepRows(loss, rows, table, leafCount, middle, count, margins, target, stats);
}
