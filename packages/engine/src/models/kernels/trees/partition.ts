import { type Binned, missingBin } from './binning.ts';
import type { SplitRecord } from './split-record.ts';

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
  const feature = best.feature;
  lookup.fill(0);
  if (best.thresholdBin >= 0) lookup.fill(1, 0, best.thresholdBin + 1);
  else for (let m = 0; m < best.categoryCount; m++) lookup[best.categoryBins[m] as number] = 1;
  lookup[missingBin] = best.missingLeft ? 1 : 0;
  const { bins, columns } = binned;
  let kept = start;
  let away = 0;
  for (let r = start; r < end; r++) {
    const row = rows[r] as number;
    if (lookup[bins[row * columns + feature] as number]) rows[kept++] = row;
    else moved[away++] = row;
  }
  rows.set(moved.subarray(0, away), kept);
  return kept;
}
