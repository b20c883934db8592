/**
 * Seeded row sampling and quantiles: the stratified sample that caps SVM's training rows, and the
 * residual quantiles of regression intervals.
 */

import { mulberry32 } from '../../random/mulberry32.ts';

/** Indices 0 … n − 1 shuffled by a seeded Fisher–Yates. */
function shuffled(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * At most `cap` row indices, ascending. With `strata` (a class per row), each class keeps its
 * share of the rows (largest remainders), at least one row each; without, a plain sample. All
 * rows when there are no more than `cap`. Deterministic for a seed.
 */
export function stratifiedSample(
  rows: number,
  cap: number,
  seed: number,
  strata?: ArrayLike<number>,
): Int32Array {
  if (rows <= cap) return Int32Array.from({ length: rows }, (_, i) => i);
  const random = mulberry32(seed >>> 0);
  if (strata === undefined) return shuffled(rows, random).subarray(0, cap).sort();
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows; i++) {
    const k = strata[i] as number;
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [i]);
    else group.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const exact = keys.map((k) => ((groups.get(k) as number[]).length * cap) / rows);
  const quota = exact.map((q) => Math.max(1, Math.floor(q)));
  let left = cap - quota.reduce((a, b) => a + b, 0);
  const byRemainder = keys
    .map((_, g) => g)
    .sort((a, b) => ((exact[b] as number) % 1) - ((exact[a] as number) % 1) || a - b);
  for (const g of byRemainder) {
    if (left <= 0) break;
    if ((quota[g] as number) < (groups.get(keys[g] as number) as number[]).length) {
      quota[g] = (quota[g] as number) + 1;
      left--;
    }
  }
  const picked: number[] = [];
  keys.forEach((k, g) => {
    const members = groups.get(k) as number[];
    const order = shuffled(members.length, random);
    for (let i = 0; i < Math.min(quota[g] as number, members.length); i++) {
      picked.push(members[order[i] as number] as number);
    }
  });
  return Int32Array.from(picked).sort();
}

/** The `p` quantile of `values` with linear interpolation between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return (sorted[low] as number) + (at - low) * ((sorted[high] as number) - (sorted[low] as number));
}
