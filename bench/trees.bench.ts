/**
 * The tree learners against their references, same data, same split, same run: our random forest
 * (100 trees, depth 10) against scikit-learn's RandomForestClassifier (n_jobs=2), and our
 * boosting (100 rounds, depth 6, η 0.3) against XGBoost's hist (nthread=2; scikit-learn's
 * HistGradientBoosting when XGBoost is absent). Binary classification on the seeded synthetic
 * data of test/support/tree-fixtures.ts: 12 features (3 categorical, 5% missing values in 4),
 * N training rows, N/4 test rows after them. Reports training wall and CPU time, their ratios,
 * and the test macro-F1 of both sides (scikit-learn 1.2's forest gets the category codes as
 * numbers and a sentinel for missing values: it has neither). The forest is also trained in two
 * halves on a 2-thread worker pool (trees 0–49 and 50–99, each worker binning its own copy of the
 * data) and merged: the same model, on both cores; that row's CPU time includes the pool's threads.
 * Boosting is also trained on the pool (`boostOn`): one worker grows the trees level by level, the
 * other does the second half of the rows' work of every level (partitions, histograms) and of the
 * margin updates over shared memory; the same model. Below 50,000 rows `boostOn` trains on one
 * thread (`boostingPoolMinimumRows`), so there the pool row times the one-thread learner.
 *
 *   npx tsx --conditions=@incident-insights/source bench/trees.bench.ts [N ...]   (default 20000 100000)
 *
 * `TREES_BENCH_LEARNERS=boosting,boosting-pool` runs only the learners named (default: all);
 * `TREES_BENCH_REFERENCE=off` skips the Python side (its cells stay empty).
 * Peak memory: "ours peak RSS" is the high-water resident memory of this process so far
 * (`process.resourceUsage().maxRSS`, the pool's threads included, the data and CSV too), so it is
 * the learner's own only for the first learner and size of a run: run one learner and one size per
 * process to measure it; "ref peak RSS" is the Python process's (`resource.getrusage`).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import {
  mergeForests,
  predictTrees,
  type TreeModel,
  type TreeTrainingData,
  trainBoosted,
  trainForest,
} from '../packages/engine/src/models/kernels/trees/index.ts';
import { boostOn } from '../packages/engine/src/models/learn/trees.ts';
import { WorkerPool } from '../packages/engine/src/workers/pool.ts';
import {
  pythonTreeReference,
  sliceRows,
  syntheticTreeData,
  writeTreeCsv,
} from '../test/support/tree-fixtures.ts';
import { timed } from './timer.ts';

const sizes = process.argv.slice(2).map(Number);
const counts = sizes.length > 0 ? sizes : [20_000, 100_000];
const directory = mkdtempSync(path.join(tmpdir(), 'trees-bench-'));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
// Workers at the bench's own priority (the engine's pool lowers its workers' by 10, which on a busy
// machine starves them against the unniced reference), kept alive between learners.
const pool = new WorkerPool({
  threads: 2,
  entry: new URL('./trees.worker.ts', import.meta.url),
  niceIncrement: 0,
  idleTimeoutMs: 600_000,
});

/** The 100-tree forest trained as two halves on the pool, merged (each worker gets its own copy). */
async function forestOnPool(train: TreeTrainingData): Promise<TreeModel> {
  const copy = (): TreeTrainingData => ({
    ...train,
    values: train.values.slice(),
    target: train.target.slice(),
  });
  const parts = await Promise.all(
    [0, 50].map((firstTree) =>
      pool.run<TreeModel>('bench.forest-part', {
        data: copy(),
        options: { task: 'binary', trees: 50, firstTree, maxDepth: 10, seed: 1 },
      }),
    ),
  );
  return mergeForests(parts);
}

const learners = {
  forest: 'forest, 100 trees, depth 10, 1 thread',
  'forest-pool': 'forest, 100 trees, depth 10, 2 workers',
  boosting: 'boosting, 100 rounds, depth 6, 1 thread',
  'boosting-pool': 'boosting, 100 rounds, depth 6, 2 workers',
} as const;
const skipReference = process.env.TREES_BENCH_REFERENCE === 'off';
const chosen = (process.env.TREES_BENCH_LEARNERS ?? Object.keys(learners).join(','))
  .split(',')
  .filter((name): name is keyof typeof learners => name in learners);

console.log(`load average at start: ${load()}`);
console.log(
  '| rows | learner | ours wall s | ours CPU s | reference | ref wall s | ref CPU s | wall ratio | CPU ratio | macro-F1 ours | macro-F1 ref | ours peak RSS MB | ref peak RSS MB |',
);
console.log('| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
try {
  // Warm the pool's two workers (module load), outside the timings.
  // Each call gets fresh data: the pool transfers (detaches) the buffers it sends.
  await Promise.all(
    [0, 1].map(() =>
      pool.run('bench.forest-part', {
        data: syntheticTreeData(200, 1, 'binary'),
        options: { task: 'binary', trees: 2 },
      }),
    ),
  );
  for (const rows of counts) {
    const testRows = Math.floor(rows / 4);
    const all = syntheticTreeData(rows + testRows, 2026, 'binary', 0.05);
    const train = sliceRows(all, 0, rows);
    const test = sliceRows(all, rows, rows + testRows);
    const csv = path.join(directory, `train-${rows}.csv`);
    if (!skipReference) writeTreeCsv(csv, train, test);
    for (const learner of chosen) {
      const algorithm = learner.startsWith('boosting') ? 'boosting' : 'forest';
      const boosting = { task: 'binary', rounds: 100, maxDepth: 6, seed: 1 } as const;
      const run = await timed(() =>
        learner === 'forest'
          ? trainForest(train, { task: 'binary', trees: 100, maxDepth: 10, seed: 1 })
          : learner === 'forest-pool'
            ? forestOnPool(train)
            : learner === 'boosting-pool'
              ? boostOn(train, boosting, pool)
              : trainBoosted(train, boosting),
      );
      const prediction = predictTrees(run.value, test);
      if (prediction.task === 'regression') throw new Error('expected classes');
      const reference = skipReference
        ? undefined
        : pythonTreeReference({
            csv,
            algorithm,
            task: 'binary',
            categorical: [9, 10, 11],
            trees: 100,
            maxDepth: algorithm === 'forest' ? 10 : 6,
            threads: 2,
            ours: prediction.labels,
          });
      const f = (x: number | undefined, digits: number) => (x === undefined ? '' : x.toFixed(digits));
      const cells = [
        rows.toLocaleString('en'),
        learners[learner],
        f(run.ms / 1000, 2),
        f(run.cpuMs / 1000, 2),
        reference?.library ?? '(not run)',
        f(reference?.fitSeconds, 2),
        f(reference?.fitCpuSeconds, 2),
        f(reference && run.ms / 1000 / reference.fitSeconds, 2),
        f(reference && run.cpuMs / 1000 / reference.fitCpuSeconds, 2),
        f(reference?.ours, 4),
        f(reference?.reference, 4),
        f(process.resourceUsage().maxRSS / 1024, 0),
        f(reference?.peakRssMb, 0),
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
  await pool.close();
}
console.log(`load average at end: ${load()}`);
