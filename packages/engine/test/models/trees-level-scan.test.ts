import { afterAll, describe, expect, it } from 'vitest';
import { missingBin } from '../../src/models/kernels/trees/binning.ts';
import { buildHistograms, HistogramPool } from '../../src/models/kernels/trees/histogram.ts';
import {
  type FeatureShapes,
  readResult,
  searchNode,
  writeScanSettings,
} from '../../src/models/kernels/trees/level-scan.ts';
import {
  HelperLink,
  newSharedHistogramMemory,
  sharedScanWork,
  stopHistogramHelper,
} from '../../src/models/kernels/trees/shared-histograms.ts';
import {
  newSplitRecord,
  newSplitScratch,
  type SplitCriterion,
  type SplitRecord,
} from '../../src/models/kernels/trees/split-record.ts';
import { histogramHelperTaskName } from '../../src/models/learn/trees.ts';
import { mulberry32 } from '../../src/random/mulberry32.ts';
import { WorkerPool } from '../../src/workers/pool.ts';

const pool = new WorkerPool({ threads: 1, entry: new URL('./learn/learn.worker.ts', import.meta.url) });
afterAll(() => pool.close());

/** Control slot 2 holds the helper's state: 1 once it serves. */
const helperState = 2;

// 2,000 seeded rows x 4 features: 0 and 1 numeric (40 bins; feature 1 has missing values),
// 2 a copy of feature 0's bins (so features 0 and 2 give equal gains), 3 categorical (6 codes).
// Rows 0 … 1,499 have g driven by feature 0 (−0.4 below bin 20, +0.4 above), rows 1,500 … 1,999
// by the category (−0.4 for codes 1 and 4): the best split is on 0 or 2 there, on 3 here.
const rows = 2_000;
const columns = 4;
const random = mulberry32(41);
const bins = new Uint8Array(rows * columns);
const stats = new Float64Array(2 * rows);
for (let i = 0; i < rows; i++) {
  const first = Math.floor(random() * 40);
  const code = Math.floor(random() * 6);
  bins.set([first, random() < 0.1 ? missingBin : Math.floor(random() * 40), first, code], i * columns);
  const driven = i < 1_500 ? first < 20 : code === 1 || code === 4;
  stats[2 * i] = (driven ? -0.4 : 0.4) + 0.2 * (random() - 0.5);
  stats[2 * i + 1] = 0.1 + 0.9 * random();
}
const shapes: FeatureShapes = { binCount: [40, 40, 40, 6], categorical: [false, false, false, true] };
const criterion: SplitCriterion = {
  channels: 2,
  boosting: true,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  minChildWeight: 1,
  category: { smooth: 1, l2: 0, maxCut: 64, minRows: 0 },
};
// Five nodes' rows; even nodes search the features in order 0, 1, 2, 3, odd ones 2, 3, 1, 0.
const ranges = [
  [0, 300],
  [300, 800],
  [800, 1_100],
  [1_100, 1_500],
  [1_500, 2_000],
] as const;
const orders = ranges.map((_, e) => (e % 2 === 0 ? Int32Array.of(0, 1, 2, 3) : Int32Array.of(2, 3, 1, 0)));
const order = Int32Array.from({ length: rows }, (_, i) => i);
const features = Int32Array.of(0, 1, 2, 3);
const histograms = new HistogramPool(columns, 2);
const nodes = ranges.map(([start, end]) => {
  const buffer = histograms.acquire();
  buildHistograms(buffer, features, 4, 2, bins, columns, order, start, end, { layout: 'pairs', stats });
  const totals = new Float64Array(2);
  for (let i = start; i < end; i++) {
    totals[0] = (totals[0] as number) + (stats[2 * i] as number);
    totals[1] = (totals[1] as number) + (stats[2 * i + 1] as number);
  }
  return { sums: buffer.sums, totals };
});

/** What a record says of its split (a numeric split's record keeps stale category slots). */
function splitOf(best: SplitRecord) {
  const categorical = best.feature >= 0 && best.thresholdBin < 0;
  return {
    gain: best.gain,
    feature: best.feature,
    thresholdBin: best.feature >= 0 ? best.thresholdBin : -1,
    missingLeft: best.missingLeft,
    left: best.feature >= 0 ? Array.from(best.left) : [],
    categories: categorical ? Array.from(best.categoryBins.subarray(0, best.categoryCount)) : [],
  };
}

/** Each node's best split searched on this thread, among the first `examined` features of its order. */
function searchedHere(examined: number): SplitRecord[] {
  return nodes.map(({ sums, totals }, e) => {
    const best = newSplitRecord(2);
    searchNode(
      criterion,
      0,
      shapes,
      sums,
      totals,
      orders[e] as Int32Array,
      examined,
      newSplitScratch(2),
      best,
    );
    return best;
  });
}

describe("a level's split search on the helper thread", () => {
  it('finds the splits the grower finds, ties going to the feature first in the order', async () => {
    const shared = newSharedHistogramMemory(rows, columns);
    const work = sharedScanWork(shared);
    writeScanSettings(work, criterion, 0, shapes);
    nodes.forEach(({ sums, totals }, e) => {
      work.sums[e]?.sums.set(sums);
      work.totals.set(totals, 2 * e);
      work.orders.set(orders[e] as Int32Array, columns * e);
    });
    const helper = pool.run<number>(histogramHelperTaskName, { shared });
    while (Atomics.load(shared.control, helperState) !== 1) await new Promise((r) => setTimeout(r, 5));
    const link = new HelperLink(shared);
    const results: SplitRecord[][] = [];
    for (const examined of [4, 3]) {
      link.scan(nodes.length, examined);
      expect(link.finish()).toBe(true);
      results.push(
        nodes.map((_, e) => {
          const best = newSplitRecord(2);
          readResult(work, e, best);
          return best;
        }),
      );
    }
    stopHistogramHelper(shared);
    expect(await helper).toBe(2);

    const [all, firstThree] = results as [SplitRecord[], SplitRecord[]];
    // Features 0 and 2 hold the same bins, so they gain the same: the one first in the order wins.
    expect(all.map((best) => best.feature)).toEqual([0, 2, 0, 2, 3]);
    expect(all[0]?.thresholdBin).toBe(19);
    // The category split: codes 1 and 4 (bins 1 and 4) apart from the rest.
    const categories = all[4] as SplitRecord;
    expect(categories.thresholdBin).toBe(-1);
    const apart = Array.from(categories.categoryBins.subarray(0, categories.categoryCount)).sort();
    expect([
      [1, 4],
      [0, 2, 3, 5],
    ]).toContainEqual(apart);
    // Among the first three features only, the last node (order 0, 1, 2) splits on 0.
    expect(firstThree.map((best) => best.feature)).toEqual([0, 2, 0, 2, 0]);
    // And every record is, to the bit, the one searched on this thread.
    expect(all.map(splitOf)).toEqual(searchedHere(4).map(splitOf));
    expect(firstThree.map(splitOf)).toEqual(searchedHere(3).map(splitOf));
  });
});
