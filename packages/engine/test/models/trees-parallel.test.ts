import { afterAll, describe, expect, it } from 'vitest';
import { syntheticTreeData } from '../../../../test/support/tree-fixtures.ts';
import { buildHistograms, HistogramPool } from '../../src/models/kernels/trees/histogram.ts';
import { predictTrees, type TreeModel, trainBoosted } from '../../src/models/kernels/trees/index.ts';
import { partitionRows } from '../../src/models/kernels/trees/partition.ts';
import {
  HelperLink,
  newSharedHistogramMemory,
  stopHistogramHelper,
} from '../../src/models/kernels/trees/shared-histograms.ts';
import { newSplitRecord } from '../../src/models/kernels/trees/split-record.ts';
import {
  halvedHistogramBuilder,
  parallelPartitioner,
} from '../../src/models/kernels/trees/two-thread-kernels.ts';
import type { BoostedOptions } from '../../src/models/kernels/trees/types.ts';
import { predict, trainModel } from '../../src/models/learn/index.ts';
import { boostedTaskName, boostOn, histogramHelperTaskName } from '../../src/models/learn/trees.ts';
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

describe('boosting kernels in two halves of a node', () => {
  it("a large node's histogram is the first half's sums plus the second half's", () => {
    // 20,000 rows x 2 features (40,000 row-features, over the 16,384 threshold): rows 0-9,999
    // summed, rows 10,000-19,999 summed, then added, bin by bin.
    const rows = 20_000;
    const { bins, stats, order } = seededRows(rows, 2, 23);
    const statistics = { layout: 'pairs', stats } as const;
    const histograms = new HistogramPool(2, 2);
    const [halved, first, second, scratch] = [0, 1, 2, 3].map(() => histograms.acquire()) as [
      ReturnType<HistogramPool['acquire']>,
      ReturnType<HistogramPool['acquire']>,
      ReturnType<HistogramPool['acquire']>,
      ReturnType<HistogramPool['acquire']>,
    ];
    const both = Int32Array.of(0, 1);
    halvedHistogramBuilder(scratch)(halved, both, 2, 2, bins, 2, order, 0, rows, statistics);
    buildHistograms(first, both, 2, 2, bins, 2, order, 0, 10_000, statistics);
    buildHistograms(second, both, 2, 2, bins, 2, order, 10_000, rows, statistics);
    expect(halved.sums).toEqual(first.sums.map((x, k) => x + (second.sums[k] as number)));
    expect([...halved.ready]).toEqual([1, 1]);
    // A small node (300 rows x 2 features) is one running sum, as before.
    const small = histograms.acquire();
    const direct = histograms.acquire();
    halvedHistogramBuilder(scratch)(small, both, 2, 2, bins, 2, order, 100, 400, statistics);
    buildHistograms(direct, both, 2, 2, bins, 2, order, 100, 400, statistics);
    expect(small.sums).toEqual(direct.sums);
  });

  it('a partition split with the helper thread is the stable one-thread partition', async () => {
    // 40,000 rows x 3 features; split on feature 1 at bin 17 (bins 0-17 left, missing right),
    // rows 1,000-39,499 of a shuffled order (over the 16,384-row threshold, so the helper takes
    // the second half).
    const rows = 40_000;
    const columns = 3;
    const seeded = seededRows(rows, columns, 29);
    const shared = newSharedHistogramMemory(rows, columns);
    shared.bins.set(seeded.bins);
    const random = mulberry32(31);
    const shuffled = Int32Array.from(seeded.order);
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
    }
    shared.order.set(shuffled);
    const best = newSplitRecord(2);
    best.feature = 1;
    best.thresholdBin = 17;
    best.missingLeft = false;
    const binned = {
      bins: shared.bins,
      rows,
      columns,
      binCount: new Int32Array(columns),
      edges: [],
      codes: [],
    };
    const expected = Int32Array.from(shuffled);
    const expectedMiddle = partitionRows(
      { ...binned, bins: seeded.bins },
      expected,
      new Int32Array(rows),
      new Uint8Array(256),
      best,
      1_000,
      39_500,
    );
    const helper = pool.run<number>(histogramHelperTaskName, { shared });
    while (Atomics.load(shared.control, helperState) !== 1) await new Promise((r) => setTimeout(r, 5));
    const partition = parallelPartitioner(new HelperLink(shared));
    const middle = partition(
      binned,
      shared.order,
      new Int32Array(rows),
      new Uint8Array(256),
      best,
      1_000,
      39_500,
    );
    stopHistogramHelper(shared);
    expect(await helper).toBe(1);
    expect(middle).toBe(expectedMiddle);
    expect(shared.order).toEqual(expected);
  });
});

describe('boosting on two threads (row halves of large nodes over shared memory)', () => {
  // 20,000 rows x 12 features: the large nodes' histograms (>= 16,384 row-features) and the root's
  // partition and every tree's margin step (>= 16,384 rows) are split with the helper.
  const cases: [string, BoostedOptions][] = [
    ['binary', { task: 'binary', rounds: 6, maxDepth: 6, seed: 3 }],
    ['multiclass', { task: 'multiclass', classes: 3, rounds: 3, maxDepth: 5, seed: 4, subsample: 0.8 }],
    ['regression', { task: 'regression', rounds: 5, maxDepth: 6, seed: 5, colsampleByTree: 0.75 }],
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
    const data = syntheticTreeData(3_000, 13, 'binary', 0.05);
    const options: BoostedOptions = { task: 'binary', rounds: 10, seed: 7 };
    const alone = trainBoosted(data, options);
    expect(await boostOn(data, options, pool)).toEqual(alone);
    expect(await boostOn(data, options, undefined)).toEqual(alone);
  });

  it('trainModel trains XGBOOST through those two tasks with the pool, to the one-thread model', async () => {
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
