import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { predictMlp, trainMlp } from '../../../src/models/kernels/neural/index.ts';
import { nonZeroShare } from '../../../src/models/kernels/neural/sparse-input.ts';
import { gaussianStream } from './neural-fixtures.ts';

/**
 * Wide one-hot rows as the learn library encodes categories: 2 standardised numeric columns and
 * 4 categories of 30 levels each (122 columns, 6 non-zero per row: about 5% dense). The class
 * and the value depend on the first category and the numbers, so the network has work to do.
 */
function wideOneHot(
  rows: number,
  seed: number,
): { x: Float64Array; cols: number; y: Float64Array; value: Float64Array } {
  const gauss = gaussianStream(seed);
  const levels = 30;
  const cols = 2 + 4 * levels;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  const value = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = gauss();
    const b = gauss();
    x[i * cols] = a;
    x[i * cols + 1] = b;
    const first = Math.floor(Math.abs(gauss()) * 10) % levels;
    x[i * cols + 2 + first] = 1;
    for (let c = 1; c < 4; c++)
      x[i * cols + 2 + c * levels + (Math.floor(Math.abs(gauss()) * 17) % levels)] = 1;
    const score = a - 0.5 * b + (first % 3) - 1 + 0.3 * gauss();
    y[i] = score > 0.5 ? 2 : score > -0.5 ? 1 : 0;
    value[i] = 50 + 10 * score;
  }
  return { x, cols, y, value };
}

describe('trainMlp with a sparse first layer', () => {
  const rows = 600;
  const data = wideOneHot(rows, 11);

  it('the fixture is as sparse as one-hot input: 6 of 122 values non-zero per row', () => {
    expect(nonZeroShare(data.x)).toBeCloseTo(6 / 122, 3);
  });

  // The sparse sums add the same non-zero terms in the same order as the dense product, so the
  // trained weights are identical to the last bit, not merely close.
  it('classification: the same weights and probabilities as the dense product, bit for bit', () => {
    const options = { task: 'classification' as const, hidden: [16, 8], epochs: 8, batchSize: 64, seed: 7 };
    const dense = trainMlp(data.x, rows, data.cols, data.y, { ...options, sparseInput: false });
    const sparse = trainMlp(data.x, rows, data.cols, data.y, { ...options, sparseInput: true });
    expect(sparse.epochs).toBe(dense.epochs);
    expect(sparse.layers).toEqual(dense.layers);
    expect(Array.from(predictMlp(sparse, data.x, rows))).toEqual(Array.from(predictMlp(dense, data.x, rows)));
  });

  it('regression with early stopping (the validation passes run sparse too): the same weights', () => {
    const options = {
      task: 'regression' as const,
      hidden: [12],
      epochs: 6,
      batchSize: 50,
      earlyStopping: true,
      seed: 3,
    };
    const dense = trainMlp(data.x, rows, data.cols, data.value, { ...options, sparseInput: false });
    const sparse = trainMlp(data.x, rows, data.cols, data.value, { ...options, sparseInput: 'auto' });
    expect(sparse.layers).toEqual(dense.layers);
  });

  it('a network without hidden layers (the first layer is the output layer): the same weights', () => {
    const options = { task: 'classification' as const, hidden: [], epochs: 4, seed: 5 };
    const dense = trainMlp(data.x, rows, data.cols, data.y, { ...options, sparseInput: false });
    const sparse = trainMlp(data.x, rows, data.cols, data.y, { ...options, sparseInput: true });
    expect(sparse.layers).toEqual(dense.layers);
  });

  it('refuses a sparseInput that is not true, false or auto, naming the field', () => {
    const call = () =>
      trainMlp(data.x, rows, data.cols, data.y, {
        task: 'classification',
        sparseInput: 'yes' as unknown as boolean,
      });
    expect(call).toThrow(EngineError);
    expect(call).toThrow(/sparseInput/);
  });
});
