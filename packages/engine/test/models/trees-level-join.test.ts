import { describe, expect, it } from 'vitest';
import { binSlots, missingBin } from '../../src/models/kernels/trees/binning.ts';
import { HistogramPool } from '../../src/models/kernels/trees/histogram.ts';
import {
  addSecondHalf,
  joinAndSubtract,
  levelWorkOver,
  newLevelArrays,
} from '../../src/models/kernels/trees/level-work.ts';

// Two features, of 3 and 255 value bins; only feature 1 is a candidate of the tree.
const columns = 2;
const binCount = Int32Array.from([3, 255]);
const candidates = Int32Array.from([1]);
const slot = (feature: number, bin: number, channel: number) => (feature * binSlots + bin) * 2 + channel;

function setting(): { pool: HistogramPool; second: ReturnType<typeof levelWorkOver> } {
  const arrays = newLevelArrays(columns, (bytes) => new ArrayBuffer(bytes));
  const second = levelWorkOver(columns, arrays.entries, arrays.lookups, arrays.sums);
  return { pool: new HistogramPool(columns, 2), second };
}

describe("joining a built child's halves and deriving its sibling in one pass", () => {
  it('gives the bits of adding then subtracting, on the used bins of the candidates only', () => {
    const { pool, second } = setting();
    const built = pool.acquire();
    const parent = pool.acquire();
    const other = second.sums[2]?.sums as Float64Array;
    for (const at of [slot(1, 0, 0), slot(1, 254, 1), slot(1, missingBin, 0), slot(0, 1, 0)]) {
      built.sums[at] = 0.1;
      other[at] = 0.2;
      parent.sums[at] = 0.3;
    }
    joinAndSubtract(built, second, 2, parent, candidates, 1, binCount);
    // Worked in IEEE doubles: 0.1 + 0.2 = 0.30000000000000004, and 0.3 − that = −2^−54.
    for (const at of [slot(1, 0, 0), slot(1, 254, 1), slot(1, missingBin, 0)]) {
      expect(built.sums[at]).toBe(0.30000000000000004);
      expect(parent.sums[at]).toBe(-(2 ** -54));
    }
    // Feature 0 is not a candidate: untouched.
    expect(built.sums[slot(0, 1, 0)]).toBe(0.1);
    expect(parent.sums[slot(0, 1, 0)]).toBe(0.3);
  });

  it('only adds the halves when the sibling does not grow, as addSecondHalf does', () => {
    const { pool, second } = setting();
    const joined = pool.acquire();
    const alone = pool.acquire();
    const other = second.sums[0]?.sums as Float64Array;
    const values = [0.7, 1.3, 2.9, 0.01];
    values.forEach((value, k) => {
      const at = slot(1, 10 * k, k % 2);
      joined.sums[at] = value;
      alone.sums[at] = value;
      other[at] = value / 3;
    });
    joinAndSubtract(joined, second, 0, null, candidates, 1, binCount);
    addSecondHalf(alone, second, 0, candidates, 1, binCount);
    expect(Array.from(joined.sums)).toEqual(Array.from(alone.sums));
    expect(joined.sums[slot(1, 10, 1)]).toBe(1.3 + 1.3 / 3);
  });
});
