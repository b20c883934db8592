/**
 * Boosting's kernels split in two halves of the rows: binning, each tree level's work
 * (`level-work.ts`) and the margin step after each tree. With a {@link HelperLink} whose helper
 * serves, the second half runs on the helper thread; without one (or when the helper is gone),
 * the grower does it itself, in the same order, so the numbers never depend on the helper.
 * Partitions, binning and the margin step are row by row: identical however they are split.
 */

import { type Binned, binnedOf, binRows, type ColumnBins, fitBins, fitColumn } from './binning.ts';
import { type SingleOutputLoss, stepRows } from './boosted-step.ts';
import type { ScanRunner } from './level-scan.ts';
import type { SecondHalfRunner } from './level-work.ts';
import {
  type HelperLink,
  readColumnBins,
  sharedLeafCapacity,
  sharedScanWork,
  writeColumnBins,
} from './shared-histograms.ts';

/** Rows from which the margin step and the binning are split between the threads. */
const partitionMinimumRows = 16_384;
/**
 * Rows of a tree level from which its second half goes to the helper: a hand-off costs some tens
 * of microseconds, about what partitioning 8,192 rows and summing half of their histograms take.
 */
const levelMinimumRows = 8_192;

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
 * The {@link SecondHalfRunner} of a boosting with `link`: a level's second half goes to the helper
 * when it serves, the level holds at least `levelMinimumRows` rows and the arrays are the
 * shared ones.
 */
export function helperRunner(link: HelperLink): SecondHalfRunner {
  const { memory } = link;
  return {
    start: (work, count, features, featureCount, rows, levelRows) => {
      const usable =
        levelRows >= levelMinimumRows &&
        link.available &&
        rows.buffer === memory.order.buffer &&
        work.entries.buffer === memory.levelEntries.buffer;
      if (usable) link.level(count, features, featureCount);
      return usable;
    },
    finish: () => link.finish(),
  };
}

/** The {@link ScanRunner} of a boosting with `link`: a level's scan goes to the helper when it serves. */
export function helperScanRunner(link: HelperLink): ScanRunner {
  return {
    work: sharedScanWork(link.memory),
    start: (count, examined) => {
      const usable = link.available;
      if (usable) link.scan(count, examined);
      return usable;
    },
    finish: () => link.finish(),
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
