import { type Binned, missingBin } from './binning.ts';
import type { SplitRecord } from './split-record.ts';

/** How the grower partitions a node's rows (see {@link partitionRows}). */
export type RowPartitioner = typeof partitionRows;

/** Fills `lookup` (256 bytes) with the side of every bin of the split in `best`: 1 left, 0 right. */
export function fillSideTable(lookup: Uint8Array, best: SplitRecord): void {
  lookup.fill(0);
  if (best.thresholdBin >= 0) lookup.fill(1, 0, best.thresholdBin + 1);
  else for (let m = 0; m < best.categoryCount; m++) lookup[best.categoryBins[m] as number] = 1;
  lookup[missingBin] = best.missingLeft ? 1 : 0;
}

/**
 * One range's share of a stable partition: the rows of `rows[start … end − 1]` whose bin of
 * `feature` is on the left side (`lookup`) are moved to the front of the range, in their order;
 * the others go, in their order, to `moved[start …]`. Returns how many went left.
 */
export function splitRange(
  bins: Uint8Array,
  columns: number,
  feature: number,
  lookup: Uint8Array,
  rows: Int32Array,
  moved: Int32Array,
  start: number,
  end: number,
): number {
  let kept = start;
  let away = start;
  for (let r = start; r < end; r++) {
    const row = rows[r] as number;
    if (lookup[bins[row * columns + feature] as number]) rows[kept++] = row;
    else moved[away++] = row;
  }
  return kept - start;
}

/**
 * Stable in-place partition of `rows[start … end − 1]` by the split in `best`: the rows that go
 * left first, in their order, then the others (copied through `moved`, a scratch array as long as
 * the data). `lookup` (256 bytes) is filled with the side of every bin. Returns where the right
 * child starts.
 */
export function partitionRows(
  binned: Binned,
  rows: Int32Array,
  moved: Int32Array,
  lookup: Uint8Array,
  best: SplitRecord,
  start: number,
  end: number,
): number {
  fillSideTable(lookup, best);
  const left = splitRange(binned.bins, binned.columns, best.feature, lookup, rows, moved, start, end);
  rows.set(moved.subarray(start, start + (end - start - left)), start + left);
  return start + left;
}
