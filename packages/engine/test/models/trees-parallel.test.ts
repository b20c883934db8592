import { afterAll, describe, expect, it } from 'vitest';
import { syntheticTreeData } from '../../../../test/support/tree-fixtures.ts';
import { buildHistograms, HistogramPool } from '../../src/models/kernels/trees/histogram.ts';
import { predictTrees, type TreeModel, trainBoosted } from '../../src/models/kernels/trees/index.ts';
import {
  buildLeft,
  buildRight,
  buildWhole,
  entryWidth,
  levelWorkOver,
  newLevelArrays,
  runLevelWork,
} from '../../src/models/kernels/trees/level-work.ts';
import { fillSideTable, partitionRows } from '../../src/models/kernels/trees/partition.ts';
import {
  HelperLink,
  newSharedHistogramMemory,
  sharedLevelWork,
  stopHistogramHelper,
} from '../../src/models/kernels/trees/shared-histograms.ts';
import { newSplitRecord } from '../../src/models/kernels/trees/split-record.ts';
import type { BoostedOptions } from '../../src/models/kernels/trees/types.ts';
import { predict, trainModel } from '../../src/models/learn/index.ts';
import {
  boostedTaskName,
  boostingPoolMinimumRows,
  boostOn,
  histogramHelperTaskName,
} from '../../src/models/learn/trees.ts';
import { mulberry32 } from '../../src/random/mulberry32.ts';
import { WorkerPool } from '../../src/workers/pool.ts';
import { syntheticFeatures, syntheticIncidents } from './learn/learn-fixtures.ts';

const pool = new WorkerPool({ threads: 2, entry: new URL('./learn/learn.worker.ts', import.meta.url) });
// A pool that can run boosting's two tasks and nothing else (no whole-model training task).
const boostPool = new WorkerPool({ threads: 2, entry: new URL('./boost.worker.ts', import.meta.url) });
afterAll(() => Promise.all([pool.close(), boostPool.close()]));

/** Control slot 2 holds the helper's state: 1 once it serves. */
const helperState = 2;

/**
 * Boosting with the helper started first (waited for until it serves), so the hand-offs surely
 * happen; returns the model and the number of node histograms the helper built.
 */
async function boostWithHelper(
  data: ReturnType<typeof syntheticTreeData>,
  options: BoostedOptions,
): Promise<{ model: TreeModel; served: number }> {
  const shared = newSharedHistogramMemory(data.rows, data.columns);
  const helper = pool.run<number>(histogramHelperTaskName, { shared });
  while (Atomics.load(shared.control, helperState) !== 1) await new Promise((r) => setTimeout(r, 5));
  const copy = { ...data, values: data.values.slice(), target: data.target.slice() };
  const model = await pool.run<TreeModel>(boostedTaskName, { data: copy, options, shared });
  stopHistogramHelper(shared);
  return { model, served: await helper };
}

describe('histograms of a run of consecutive features', () => {
  it('sum exactly what the feature-list path sums', () => {
    // 500 rows, 6 features, bins and (g, h) from a seeded stream; features 2, 3, 4 as a run
    // (fast path) against the same features listed out of order (the general path).
    const rows = 500;
    const columns = 6;
    const random = mulberry32(17);
    const bins = Uint8Array.from({ length: rows * columns }, () => Math.floor(random() * 40));
    const stats = Float64Array.from({ length: 2 * rows }, () => random() - 0.5);
    const order = Int32Array.from({ length: rows }, (_, i) => i).filter((i) => i % 3 !== 0);
    const statistics = { layout: 'pairs', stats } as const;
    const pool = new HistogramPool(columns, 2);
    const run = pool.acquire();
    const listed = pool.acquire();
    buildHistograms(run, Int32Array.of(2, 3, 4), 3, 2, bins, columns, order, 10, 300, statistics);
    buildHistograms(listed, Int32Array.of(4, 2, 3), 3, 2, bins, columns, order, 10, 300, statistics);
    expect(run.sums).toEqual(listed.sums);
    expect([...run.ready]).toEqual([0, 0, 1, 1, 1, 0]);
    // Bin 7 of feature 3 by hand: the g and h of the rows in order[10 … 299] whose bin is 7.
    let g = 0;
    let h = 0;
    for (let r = 10; r < 300; r++) {
      const row = order[r] as number;
      if (bins[row * columns + 3] === 7) {
        g += stats[2 * row] as number;
        h += stats[2 * row + 1] as number;
      }
    }
    expect(run.sums[3 * 512 + 14]).toBe(g);
    expect(run.sums[3 * 512 + 15]).toBe(h);
  });
});

/** Seeded bins (40 per feature) and (g, h) pairs of `rows` rows, and every row in order. */
function seededRows(rows: number, columns: number, seed: number) {
  const random = mulberry32(seed);
  return {
    bins: Uint8Array.from({ length: rows * columns }, () => Math.floor(random() * 40)),
    stats: Float64Array.from({ length: 2 * rows }, () => random() - 0.5),
    order: Int32Array.from({ length: rows }, (_, i) => i),
  };
}

/** Level work with room for `columns` features (not shared), every entry's histograms zeroed. */
function localLevelWork(columns: number) {
  const arrays = newLevelArrays(columns, (bytes) => new ArrayBuffer(bytes));
  return levelWorkOver(columns, arrays.entries, arrays.lookups, arrays.sums);
}

/** A numeric split of `feature` at `thresholdBin` (bins up to it go left, missing right). */
function numericSplit(feature: number, thresholdBin: number) {
  const best = newSplitRecord(2);
  best.feature = feature;
  best.thresholdBin = thresholdBin;
  best.missingLeft = false;
  return best;
}

/** Entry `e` of `work`: partition `[start, end)` on `feature` by the side table of `best`, build `side`. */
function setEntry(
  work: ReturnType<typeof localLevelWork>,
  e: number,
  best: ReturnType<typeof numericSplit> | null,
  start: number,
  end: number,
  side: number,
) {
  work.entries.set([best ? best.feature : -1, start, end, side, 0], e * entryWidth);
  if (best) fillSideTable(work.lookups.subarray(e * 256, (e + 1) * 256), best);
}

describe("a tree level's work on one half of the rows", () => {
  it('is the stable partition of each range and the histograms of the part built', () => {
    // 3,000 rows x 3 features; two nodes' ranges: [100, 1,400) split on feature 1 at bin 17,
    // building the left part; [1,400, 2,900) split on feature 2 at bin 5, building the right part.
    const rows = 3_000;
    const columns = 3;
    const { bins, stats, order } = seededRows(rows, columns, 23);
    const statistics = { layout: 'pairs', stats } as const;
    const random = mulberry32(31);
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const features = Int32Array.of(0, 1, 2);
    const work = localLevelWork(columns);
    const first = numericSplit(1, 17);
    const second = numericSplit(2, 5);
    setEntry(work, 0, first, 100, 1_400, buildLeft);
    setEntry(work, 1, second, 1_400, 2_900, buildRight);
    const rowsAfter = Int32Array.from(order);
    runLevelWork(work, 2, features, 3, bins, columns, rowsAfter, new Int32Array(rows), statistics);

    const expected = Int32Array.from(order);
    const binned = { bins, rows, columns, binCount: new Int32Array(columns), edges: [], codes: [] };
    const lookup = new Uint8Array(256);
    const moved = new Int32Array(rows);
    const middleOfFirst = partitionRows(binned, expected, moved, lookup, first, 100, 1_400);
    const middleOfSecond = partitionRows(binned, expected, moved, lookup, second, 1_400, 2_900);
    expect(rowsAfter).toEqual(expected);
    expect(work.entries[4]).toBe(middleOfFirst - 100);
    expect(work.entries[entryWidth + 4]).toBe(middleOfSecond - 1_400);
    const histograms = new HistogramPool(columns, 2);
    const left = histograms.acquire();
    const right = histograms.acquire();
    buildHistograms(left, features, 3, 2, bins, columns, expected, 100, middleOfFirst, statistics);
    buildHistograms(right, features, 3, 2, bins, columns, expected, middleOfSecond, 2_900, statistics);
    expect(work.sums[0]?.sums).toEqual(left.sums);
    expect(work.sums[1]?.sums).toEqual(right.sums);
  });

  it('done by the helper thread over shared memory, is what the grower would do', async () => {
    // 40,000 rows x 3 features: the root's histograms over the second half [20,000, 40,000),
    // then a split of [20,000, 39,500) on feature 1 at bin 17, building its right part.
    const rows = 40_000;
    const columns = 3;
    const seeded = seededRows(rows, columns, 29);
    const statistics = { layout: 'pairs', stats: seeded.stats } as const;
    const features = Int32Array.of(0, 1, 2);
    const best = numericSplit(1, 17);
    const local = localLevelWork(columns);
    setEntry(local, 0, null, 20_000, 40_000, buildWhole);
    setEntry(local, 1, best, 20_000, 39_500, buildRight);
    const expected = Int32Array.from(seeded.order);
    const moved = new Int32Array(rows);
    runLevelWork(local, 1, features, 3, seeded.bins, columns, expected, moved, statistics);
    const rootSums = Float64Array.from(local.sums[0]?.sums ?? []);
    runLevelWork(local, 2, features, 3, seeded.bins, columns, expected, moved, statistics);

    const shared = newSharedHistogramMemory(rows, columns);
    shared.bins.set(seeded.bins);
    shared.stats.set(seeded.stats);
    shared.order.set(seeded.order);
    const work = sharedLevelWork(shared);
    setEntry(work, 0, null, 20_000, 40_000, buildWhole);
    setEntry(work, 1, best, 20_000, 39_500, buildRight);
    const helper = pool.run<number>(histogramHelperTaskName, { shared });
    while (Atomics.load(shared.control, helperState) !== 1) await new Promise((r) => setTimeout(r, 5));
    const link = new HelperLink(shared);
    link.level(1, features, 3);
    expect(link.finish()).toBe(true);
    expect(work.sums[0]?.sums).toEqual(rootSums);
    link.level(2, features, 3);
    expect(link.finish()).toBe(true);
    stopHistogramHelper(shared);
    expect(await helper).toBe(2);
    expect(shared.order).toEqual(expected);
    expect(work.entries[entryWidth + 4]).toBe(local.entries[entryWidth + 4]);
    expect(work.sums[1]?.sums).toEqual(local.sums[1]?.sums);
  });
});

describe('boosting on two threads (row halves of large nodes over shared memory)', () => {
  // 20,000 rows x 12 features: the large nodes' histograms (>= 16,384 row-features) and the root's
  // partition and every tree's margin step (>= 16,384 rows) are split with the helper.
  const cases: [string, BoostedOptions][] = [
    ['binary', { task: 'binary', rounds: 6, maxDepth: 6, seed: 3 }],
    ['multiclass', { task: 'multiclass', classes: 3, rounds: 3, maxDepth: 5, seed: 4, subsample: 0.8 }],
    ['regression', { task: 'regression', rounds: 5, maxDepth: 6, seed: 5, colsampleByTree: 0.75 }],
    // Features drawn at each node: the draws are made in level order before the search is split.
    ['binary, features per node', { task: 'binary', rounds: 4, maxDepth: 6, seed: 9, colsampleByNode: 0.5 }],
  ];
  for (const [task, options] of cases) {
    it(`grows exactly the one-thread trees (${task})`, async () => {
      const data = syntheticTreeData(20_000, 11, options.task, 0.05);
      const alone = trainBoosted(data, options);
      const { model, served } = await boostWithHelper(data, options);
      // Both learners add the same two halves of each large node's sums, and partitions and
      // margin steps are row by row, so the models are equal to the last bit, not merely close.
      // Hand-offs: histograms of the large nodes, the root's partition, and (one output, every
      // row) the margin step of each tree.
      const trees = model.trees.length;
      expect(served).toBeGreaterThan(options.task === 'multiclass' ? 2 * trees : 3 * trees);
      expect(model).toEqual(alone);
      expect(predictTrees(model, data)).toEqual(predictTrees(alone, data));
    });
  }

  it('with no helper running, the shared memory changes nothing (the grower works alone)', () => {
    const data = syntheticTreeData(2_000, 12, 'binary', 0.05);
    const options: BoostedOptions = { task: 'binary', rounds: 5, seed: 6 };
    const shared = newSharedHistogramMemory(data.rows, data.columns);
    expect(trainBoosted(data, options, shared)).toEqual(trainBoosted(data, options));
  });

  it('shared memory of the wrong shape is refused', () => {
    const data = syntheticTreeData(200, 12, 'binary');
    expect(() => trainBoosted(data, { task: 'binary' }, newSharedHistogramMemory(100, 12))).toThrow(
      /100 x 12/,
    );
  });

  it('boostOn with the pool gives the one-thread model; without a pool it trains here', async () => {
    // 50,000 rows (the smallest size boostOn takes the pool for), 3 rounds of depth 4.
    const data = syntheticTreeData(boostingPoolMinimumRows, 13, 'binary', 0.05);
    const options: BoostedOptions = { task: 'binary', rounds: 3, maxDepth: 4, seed: 7 };
    const alone = trainBoosted(data, options);
    expect(await boostOn(data, options, pool)).toEqual(alone);
    expect(await boostOn(data, options, undefined)).toEqual(alone);
  });

  it('boostOn trains fewer rows than boostingPoolMinimumRows on one thread, without the pool', async () => {
    // A pool that fails any task: boostOn must not hand it 49,999 rows.
    const refusing = {
      options: { threads: 2 },
      run: () => Promise.reject(new Error('the pool was used')),
    } as unknown as WorkerPool;
    const data = syntheticTreeData(boostingPoolMinimumRows - 1, 14, 'binary');
    const options: BoostedOptions = { task: 'binary', rounds: 2, maxDepth: 3, seed: 8 };
    expect(await boostOn(data, options, refusing)).toEqual(trainBoosted(data, options));
  });

  it('trainModel trains XGBOOST with the pool to the one-thread model (in the caller below 50,000 rows)', async () => {
    const rows = syntheticIncidents(2_500, 21);
    const features = [...syntheticFeatures];
    for (const spec of [
      {
        algorithm: 'XGBOOST',
        task: 'classification',
        target: 'severity',
        features,
        config: { n_estimators: 5 },
      },
      // Regression also fits the interval's model on the older 80% through the pool.
      {
        algorithm: 'XGBOOST',
        task: 'regression',
        target: 'resolution_hours',
        features,
        config: { n_estimators: 5 },
      },
    ] as const) {
      const alone = await trainModel(rows, spec);
      const pooled = await trainModel(rows, spec, { pool: boostPool });
      expect(pooled).toEqual(alone);
      expect(await predict(pooled, rows.slice(0, 50))).toEqual(await predict(alone, rows.slice(0, 50)));
    }
  });
});
