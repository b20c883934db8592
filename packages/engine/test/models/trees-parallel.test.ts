import { afterAll, describe, expect, it } from 'vitest';
import { syntheticTreeData } from '../../../../test/support/tree-fixtures.ts';
import { buildHistograms, HistogramPool } from '../../src/models/kernels/trees/histogram.ts';
import { predictTrees, type TreeModel, trainBoosted } from '../../src/models/kernels/trees/index.ts';
import {
  newSharedHistogramMemory,
  stopHistogramHelper,
} from '../../src/models/kernels/trees/shared-histograms.ts';
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

describe('boosting on two threads (feature-parallel histograms over shared memory)', () => {
  // 3,000 rows x 12 features: the root and the large nodes (>= 16,384 row-features) are shared.
  const cases: [string, BoostedOptions][] = [
    ['binary', { task: 'binary', rounds: 8, maxDepth: 6, seed: 3 }],
    ['multiclass', { task: 'multiclass', classes: 3, rounds: 4, maxDepth: 5, seed: 4, subsample: 0.8 }],
    ['regression', { task: 'regression', rounds: 6, maxDepth: 6, seed: 5, colsampleByTree: 0.75 }],
  ];
  for (const [task, options] of cases) {
    it(`grows exactly the one-thread trees (${task})`, async () => {
      const data = syntheticTreeData(3_000, 11, options.task, 0.05);
      const alone = trainBoosted(data, options);
      const { model, served } = await boostWithHelper(data, options);
      // Each feature's histogram sums the same rows in the same order on either thread, so the
      // models are equal to the last bit, not merely close.
      expect(served).toBeGreaterThan(0);
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
