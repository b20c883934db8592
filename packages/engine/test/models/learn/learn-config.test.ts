import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { resolveConfig } from '../../../src/models/learn/config.ts';
import {
  denseMatrix,
  fitDenseEncoding,
  inferFeatures,
  treeMatrix,
} from '../../../src/models/learn/encoding.ts';
import {
  algorithmConfigSchema,
  classificationMetrics,
  majorityBaseline,
  meanBaseline,
  predict,
  regressionMetrics,
  trainModel,
} from '../../../src/models/learn/index.ts';
import { quantile, stratifiedSample } from '../../../src/models/learn/sampling.ts';
import { syntheticFeatures, syntheticIncidents } from './learn-fixtures.ts';

async function rejection(run: () => unknown): Promise<EngineError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

const rows = syntheticIncidents(200, 3);
const features = [...syntheticFeatures];

describe('configuration', () => {
  it('fills in scikit-learn / XGBoost defaults', () => {
    expect(resolveConfig('RANDOM_FOREST', 'classification', undefined)).toEqual({
      n_estimators: 100,
      max_depth: 10,
      min_samples_split: 2,
      min_samples_leaf: 1,
      max_features: 'sqrt',
      bootstrap: true,
      min_data_per_group: 0,
    });
    expect(resolveConfig('RANDOM_FOREST', 'regression', { n_estimators: 5 })['max_features']).toBe(1);
    expect(resolveConfig('XGBOOST', 'classification', {})).toMatchObject({
      n_estimators: 100,
      max_depth: 6,
      learning_rate: 0.3,
      reg_lambda: 1,
      subsample: 1,
    });
    expect(resolveConfig('SVM', 'classification', {})).toMatchObject({ C: 1, kernel: 'rbf', gamma: 'scale' });
    expect(resolveConfig('NEURAL_NETWORK', 'classification', { epochs: 20 })).toMatchObject({
      hidden_layer_sizes: [100],
      max_iter: 20,
      alpha: 0.0001,
    });
    expect(algorithmConfigSchema('SVM').safeParse({ C: 2 }).success).toBe(true);
  });

  it('refuses an unknown key, naming it, before any training', async () => {
    const error = await rejection(() =>
      trainModel(rows, {
        algorithm: 'RANDOM_FOREST',
        task: 'classification',
        target: 'severity',
        features,
        config: { n_estimators: 5, n_estimator: 10 },
      }),
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('n_estimator');
    expect(error.details).toEqual({ errors: [{ field: 'config.n_estimator', message: 'unknown field' }] });
  });

  it.each([
    ['XGBOOST', { learning_rate: 0 }, 'config.learning_rate'],
    ['XGBOOST', { max_depth: 2.5 }, 'config.max_depth'],
    ['SVM', { kernel: 'cubic' }, 'config.kernel'],
    ['SVM', { C: -1 }, 'config.C'],
    ['NEURAL_NETWORK', { hidden_layer_sizes: [] }, 'config.hidden_layer_sizes'],
    ['RANDOM_FOREST', { max_features: 0 }, 'config.max_features'],
  ] as const)('%s %j is a VALIDATION_ERROR on %s', async (algorithm, config, field) => {
    const error = await rejection(() =>
      trainModel(rows, { algorithm, task: 'classification', target: 'severity', features, config }),
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    expect((error.details as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect(error.message).toContain(field.slice('config.'.length));
  });

  it('refuses bad specs with the field at fault', async () => {
    const base = { algorithm: 'XGBOOST', task: 'classification', target: 'severity', features } as const;
    const field = async (run: () => unknown) =>
      ((await rejection(run)).details as { errors: { field: string }[] }).errors[0]?.field;
    expect(await field(() => trainModel(rows, { ...base, algorithm: 'LSTM' as never }))).toBe('algorithm');
    expect(await field(() => trainModel(rows, { ...base, task: 'forecast' as never }))).toBe('task');
    expect(await field(() => trainModel(rows, { ...base, features: [...features, 'severity'] }))).toBe(
      'features',
    );
    expect(await field(() => trainModel(rows.slice(0, 1), base))).toBe('rows');
    expect(await field(() => trainModel(rows, { ...base, task: 'regression' }))).toBe('target');
    const oneClass = rows.map((row) => ({ ...row, severity: 'low' }));
    expect(await field(() => trainModel(oneClass, base))).toBe('target');
    expect(await field(() => predict({ format: 'other' } as never, rows))).toBe('model');
  });
});

describe('encoding, fitted on the training rows', () => {
  const training = [
    { x: 1, team: 'a', flag: true },
    { x: 3, team: 'b', flag: false },
    { x: null, team: 'a', flag: true },
  ];
  const kinds = inferFeatures(training, ['x', 'team', 'flag']);

  it('numeric when every value is a number, else categorical with sorted categories', () => {
    expect(kinds).toEqual([
      { name: 'x', kind: 'numeric' },
      { name: 'team', kind: 'categorical', categories: ['a', 'b'] },
      { name: 'flag', kind: 'categorical', categories: ['false', 'true'] },
    ]);
  });

  it('trees get codes; missing and unseen categories are NaN', () => {
    const m = treeMatrix(
      [
        { x: 2, team: 'b', flag: false },
        { x: null, team: 'zzz', flag: null },
      ],
      kinds,
    );
    expect(Array.from(m)).toEqual([2, Number.NaN, 1, Number.NaN, 0, Number.NaN]);
  });

  it('dense: standardised numeric (missing = training mean), one-hot, unseen category all zeros', () => {
    const encoding = fitDenseEncoding(training, kinds);
    // x: mean of 1 and 3 is 2, population sd 1.
    expect(encoding.means[0]).toBe(2);
    expect(encoding.sds[0]).toBe(1);
    expect(encoding.width).toBe(5);
    const m = denseMatrix(
      [
        { x: 4, team: 'zzz', flag: true },
        { x: null, team: 'b', flag: null },
      ],
      kinds,
      encoding,
    );
    expect(Array.from(m)).toEqual([2, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
  });
});

describe('metrics (worked by hand; scikit-learn gives the same)', () => {
  it('macro scores, per class and the confusion matrix', () => {
    const m = classificationMetrics(['a', 'a', 'b', 'b', 'c'], ['a', 'b', 'b', 'b', 'a']);
    // a: 1 right of 2 predicted, 2 actual; b: 2 of 3 predicted, 2 actual; c: never right.
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    expect(m.precision).toBeCloseTo((1 / 2 + 2 / 3 + 0) / 3, 12);
    expect(m.recall).toBeCloseTo((1 / 2 + 1 + 0) / 3, 12);
    expect(m.f1).toBeCloseTo((1 / 2 + 0.8 + 0) / 3, 12);
    expect(m.per_class['b']).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
    expect(m.confusion_matrix).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [1, 1, 0],
        [0, 2, 0],
        [1, 0, 0],
      ],
    });
  });

  it('regression errors', () => {
    // errors 0, −1, 0, 2: MAE 3/4, RMSE √(5/4); SS_tot around 2.5 is 5, so R² = 0; MAPE (½ + ½)/4.
    expect(regressionMetrics([1, 2, 3, 4], [1, 3, 3, 2])).toEqual({
      mae: 0.75,
      rmse: Math.sqrt(1.25),
      r2: 0,
      mape: 0.25,
    });
    expect(regressionMetrics([0, 2], [0, 2]).mape).toBeNull();
  });

  it('baselines', () => {
    expect(majorityBaseline(['b', 'a', 'b', 'a', 'c'], 2)).toEqual(['a', 'a']);
    expect(meanBaseline([1, 2, 6], 2)).toEqual([3, 3]);
  });
});

describe('sampling', () => {
  it('a stratified sample keeps each class its share, the same for a seed', () => {
    const strata = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1));
    const sample = stratifiedSample(1000, 100, 5, strata);
    expect(sample.length).toBe(100);
    expect(Array.from(sample).filter((i) => i >= 900).length).toBe(10);
    expect(Array.from(sample)).toEqual([...sample].sort((a, b) => a - b));
    expect(stratifiedSample(1000, 100, 5, strata)).toEqual(sample);
    expect(stratifiedSample(50, 100, 5, strata).length).toBe(50);
  });

  it('quantiles interpolate as numpy', () => {
    // numpy.quantile([1, 2, 3, 4, 10], 0.95) = 4 + 0.8 * 6 = 8.8
    expect(quantile([10, 1, 3, 2, 4], 0.95)).toBeCloseTo(8.8, 12);
  });
});

describe('SVM', () => {
  it('caps its training rows with a stratified sample', async () => {
    const model = await trainModel(rows, {
      algorithm: 'SVM',
      task: 'classification',
      target: 'severity',
      features,
      config: { max_training_rows: 60 },
    });
    expect(model.trainingRows).toBe(60);
    expect(model.config['max_training_rows']).toBe(60);
  });

  it('does not print (libsvm writes through console.log unless silenced)', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const probe = fileURLToPath(new URL('./svm-print-probe.ts', import.meta.url));
    const stdout = execFileSync(process.execPath, ['--import', pathToFileURL(tsx).href, probe], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout).toBe('');
  });
});

describe('the engine package', () => {
  it('exports trainModel, predict, the schemas and the metrics', async () => {
    const engine = await import('../../../src/index.ts');
    for (const name of [
      'trainModel',
      'predict',
      'algorithmConfigSchema',
      'classificationMetrics',
      'regressionMetrics',
      'majorityBaseline',
      'meanBaseline',
    ]) {
      expect(typeof (engine as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
