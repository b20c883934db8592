import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { predictMlp, trainMlp } from '../../../src/models/kernels/neural/index.ts';
import { argmaxRows, gaussianStream, sliceClasses, syntheticClasses } from './neural-fixtures.ts';

describe('trainMlp learns', () => {
  it('XOR, which no linear model can', () => {
    const x = Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
    const y = Float64Array.from([0, 1, 1, 0]);
    const model = trainMlp(x, 4, 2, y, {
      task: 'classification',
      hidden: [16],
      learningRate: 0.05,
      epochs: 500,
      seed: 3,
    });
    const probabilities = predictMlp(model, x, 4);
    expect(argmaxRows(probabilities, 2)).toEqual([0, 1, 1, 0]);
    for (let i = 0; i < 4; i++) expect(probabilities[i * 2 + (y[i] as number)]).toBeGreaterThan(0.9);
  });

  it('a noisy linear regression far from zero: R² > 0.9 on new rows, in the target units', () => {
    // y = 100 + 3·x0 − 2·x1 + 0.5·x2 + N(0, 0.5²): the best possible R² is 13.25 / 13.5 = 0.98.
    const gauss = gaussianStream(4);
    const rows = 1200;
    const x = new Float64Array(rows * 3);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < 3; j++) x[i * 3 + j] = gauss();
      y[i] =
        100 +
        3 * (x[i * 3] as number) -
        2 * (x[i * 3 + 1] as number) +
        0.5 * (x[i * 3 + 2] as number) +
        0.5 * gauss();
    }
    const train = 1000;
    const model = trainMlp(x.subarray(0, train * 3), train, 3, y.subarray(0, train), {
      task: 'regression',
      seed: 5,
    });
    const predicted = predictMlp(model, x.subarray(train * 3), rows - train);
    const actual = y.subarray(train);
    const mean = actual.reduce((sum, v) => sum + v, 0) / actual.length;
    let residual = 0;
    let total = 0;
    actual.forEach((v, i) => {
      residual += (v - (predicted[i] as number)) ** 2;
      total += (v - mean) ** 2;
    });
    expect(1 - residual / total).toBeGreaterThan(0.9);
  });
});

describe('trainMlp is reproducible and its model is plain data', () => {
  const data = sliceClasses(syntheticClasses(600, 8), 0, 600);
  const options = { task: 'classification', hidden: [12, 6], epochs: 15, seed: 9 } as const;

  it('the same seed gives identical weights; another seed other weights', () => {
    const first = trainMlp(data.x, data.rows, data.cols, data.y, options);
    const second = trainMlp(data.x, data.rows, data.cols, data.y, options);
    const other = trainMlp(data.x, data.rows, data.cols, data.y, { ...options, seed: 10 });
    expect(second).toEqual(first);
    expect(other.layers[0]?.weights).not.toEqual(first.layers[0]?.weights);
  });

  it('predicts the same after a JSON round trip, from Float32 features too', () => {
    const model = trainMlp(Float32Array.from(data.x), data.rows, data.cols, data.y, options);
    const copy = JSON.parse(JSON.stringify(model));
    expect(copy).toEqual(model);
    expect(predictMlp(copy, data.x.subarray(0, 60), 5)).toEqual(predictMlp(model, data.x.subarray(0, 60), 5));
    expect(model.layers.map((layer) => [layer.rows, layer.cols])).toEqual([
      [12, 12],
      [12, 6],
      [6, 3],
    ]);
    expect(predictMlp(model, new Float64Array(0), 0)).toEqual(new Float64Array(0));
    const probabilities = predictMlp(model, data.x, data.rows);
    for (let i = 0; i < data.rows; i++) {
      expect(probabilities[i * 3]! + probabilities[i * 3 + 1]! + probabilities[i * 3 + 2]!).toBeCloseTo(
        1,
        12,
      );
    }
  });
});

describe('trainMlp stopping', () => {
  it('early stopping ends after patience + 1 epochs without a better validation score', () => {
    // Labels independent of the features: the validation accuracy cannot keep improving, so
    // training stops long before 1,000 epochs, and at the earliest after 1 + 10 epochs.
    const gauss = gaussianStream(12);
    const rows = 400;
    const x = Float64Array.from({ length: rows * 4 }, gauss);
    const y = Float64Array.from({ length: rows }, (_, i) => i % 2);
    const model = trainMlp(x, rows, 4, y, {
      task: 'classification',
      hidden: [8],
      epochs: 1000,
      earlyStopping: true,
    });
    expect(model.epochs).toBeGreaterThanOrEqual(11);
    expect(model.epochs).toBeLessThan(200);
  });

  it('without early stopping, runs to the maximum while the training loss keeps falling', () => {
    const data = syntheticClasses(300, 13);
    const model = trainMlp(data.x, data.rows, data.cols, data.y, {
      task: 'classification',
      hidden: [32],
      epochs: 25,
    });
    expect(model.epochs).toBe(25);
  });
});

describe('trainMlp refuses bad input with VALIDATION_ERROR naming the field', () => {
  const x = Float64Array.from([0, 1, 2, 3]);
  const y = Float64Array.from([0, 1]);
  const cases: [string, () => unknown, string][] = [
    [
      'no rows to train on',
      () => trainMlp(new Float64Array(0), 0, 2, new Float64Array(0), { task: 'regression' }),
      'rows',
    ],
    [
      'a NaN feature',
      () => trainMlp(Float64Array.from([0, Number.NaN, 2, 3]), 2, 2, y, { task: 'regression' }),
      'x',
    ],
    ['a shape that does not fit', () => trainMlp(x, 3, 2, y, { task: 'regression' }), 'x'],
    [
      'a plain array',
      () => trainMlp([0, 1, 2, 3] as unknown as Float64Array, 2, 2, y, { task: 'regression' }),
      'x',
    ],
    [
      'a class that is not an index',
      () => trainMlp(x, 2, 2, Float64Array.from([0, 1.5]), { task: 'classification' }),
      'y',
    ],
    [
      'a class beyond classes',
      () => trainMlp(x, 2, 2, Float64Array.from([0, 3]), { task: 'classification', classes: 3 }),
      'y',
    ],
    [
      'an infinite target',
      () => trainMlp(x, 2, 2, Float64Array.from([0, Infinity]), { task: 'regression' }),
      'y',
    ],
    ['an unknown option', () => trainMlp(x, 2, 2, y, { task: 'regression', hiden: [3] } as never), 'hiden'],
    ['an empty hidden layer', () => trainMlp(x, 2, 2, y, { task: 'regression', hidden: [4, 0] }), 'hidden'],
    ['a negative l2', () => trainMlp(x, 2, 2, y, { task: 'regression', l2: -1 }), 'l2'],
    ['an unknown task', () => trainMlp(x, 2, 2, y, { task: 'ranking' as never }), 'task'],
    [
      'features that do not fit the model',
      () => predictMlp(trainMlp(x, 2, 2, y, { task: 'regression', epochs: 1 }), x, 1),
      'x',
    ],
  ];
  it.each(cases)('%s', (_name, call, field) => {
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('VALIDATION_ERROR');
    expect((error as EngineError).details).toEqual({ field });
  });

  it('leaves its inputs unchanged', () => {
    const features = Float64Array.from([3, 1, 2, 0, 5, 4]);
    const targets = Float64Array.from([2, 0, 1]);
    const before = [Array.from(features), Array.from(targets)];
    trainMlp(features, 3, 2, targets, { task: 'classification', epochs: 3, earlyStopping: true });
    expect([Array.from(features), Array.from(targets)]).toEqual(before);
  });
});
