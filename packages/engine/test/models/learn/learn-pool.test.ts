import { afterAll, describe, expect, it } from 'vitest';
import { predict, trainModel } from '../../../src/models/learn/index.ts';
import { WorkerPool } from '../../../src/workers/pool.ts';
import { syntheticFeatures, syntheticIncidents } from './learn-fixtures.ts';

const pool = new WorkerPool({ threads: 2, entry: new URL('./learn.worker.ts', import.meta.url) });
afterAll(() => pool.close());

const rows = syntheticIncidents(600, 9);
const train = rows.slice(0, 500);
const test = rows.slice(500);
const features = [...syntheticFeatures];

describe('on the worker pool', () => {
  it('a forest spread over two threads is the forest grown in one', async () => {
    const spec = {
      algorithm: 'RANDOM_FOREST',
      task: 'regression',
      target: 'resolution_hours',
      features,
      config: { n_estimators: 9 },
    } as const;
    const alone = await trainModel(train, spec);
    const spread = await trainModel(train, spec, { pool });
    const { state: spreadTrees, featureImportance: spreadShares, ...spreadRest } = spread;
    const { state: aloneTrees, featureImportance: aloneShares, ...aloneRest } = alone;
    expect(spreadRest).toEqual(aloneRest);
    expect((spreadTrees as { trees: unknown }).trees).toEqual((aloneTrees as { trees: unknown }).trees);
    // The gains are averaged over the parts, so they agree up to rounding.
    for (const [name, share] of Object.entries(aloneShares ?? {})) {
      expect(spreadShares?.[name]).toBeCloseTo(share, 12);
    }
    expect(await predict(spread, test, { pool })).toEqual(await predict(alone, test));
  });

  it('SVM loads its WebAssembly in a worker thread and trains and predicts there as here', async () => {
    const spec = { algorithm: 'SVM', task: 'classification', target: 'severity', features } as const;
    const here = await trainModel(train, spec);
    const there = await trainModel(train, spec, { pool });
    expect(there.trainingRows).toBe(here.trainingRows);
    const expected = await predict(here, test);
    // libsvm's probability fit draws from the C library's own unseeded stream, so probabilities
    // of models trained apart may differ slightly; a given model predicts identically anywhere.
    expect(await predict(here, test, { pool })).toEqual(expected);
    const labels = (await predict(there, test)).map((p) => ('label' in p ? p.label : ''));
    const agree = labels.filter((label, i) => label === (expected[i] as { label: string }).label).length;
    expect(agree / test.length).toBeGreaterThan(0.95);
  });

  it('a bad configuration comes back from a worker as the same VALIDATION_ERROR', async () => {
    await expect(
      trainModel(
        train,
        {
          algorithm: 'XGBOOST',
          task: 'classification',
          target: 'severity',
          features,
          config: { rounds: 3 },
        },
        { pool },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('rounds') });
  });
});
