import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/errors.ts';
import { forecastLstm, trainLstm } from '../../../src/models/kernels/neural/index.ts';
import { gaussianStream } from './neural-fixtures.ts';

/** 200 days of 10 + 3·sin(2πt/7) + N(0, 0.5²): a weekly season under noise. */
function noisyWeeklySine(): number[] {
  const gauss = gaussianStream(3);
  return Array.from({ length: 200 }, (_, t) => 10 + 3 * Math.sin((2 * Math.PI * t) / 7) + 0.5 * gauss());
}

const series = noisyWeeklySine();
const history = series.slice(0, -14);
const actual = series.slice(-14);
const options = { lookback: 14, units: 16, epochs: 30, seed: 1 } as const;
const model = trainLstm(history, options);

describe('trainLstm and forecastLstm', () => {
  it('forecast the last 14 days of a noisy weekly sine better than seasonal naive (MASE < 1)', () => {
    const forecast = forecastLstm(model, history, 14);
    // MASE's scale: the in-sample mean absolute error of the seasonal naive forecast (m = 7).
    let scale = 0;
    for (let t = 7; t < history.length; t++) scale += Math.abs(history[t]! - history[t - 7]!);
    scale /= history.length - 7;
    const mae = actual.reduce((sum, value, h) => sum + Math.abs(forecast.mean[h]! - value), 0) / 14;
    const naive =
      actual.reduce((sum, value, h) => sum + Math.abs(history[history.length - 7 + (h % 7)]! - value), 0) /
      14;
    expect(mae / scale).toBeLessThan(1);
    expect(mae).toBeLessThan(naive);
    // the noise is N(0, 0.5²): a one-step error near 0.5 means the season was learnt, not the noise
    expect(model.residualSd).toBeGreaterThan(0.35);
    expect(model.residualSd).toBeLessThan(0.7);
  });

  it('give a 95% band of ±1.96 · residual sd · √h around the mean', () => {
    const forecast = forecastLstm(model, history, 9);
    for (let h = 1; h <= 9; h++) {
      const half = 1.959963984540054 * model.residualSd * Math.sqrt(h);
      expect(forecast.upper[h - 1]! - forecast.mean[h - 1]!).toBeCloseTo(half, 10);
      expect(forecast.mean[h - 1]! - forecast.lower[h - 1]!).toBeCloseTo(half, 10);
    }
    const inBand = actual
      .slice(0, 9)
      .filter((value, h) => value >= forecast.lower[h]! && value <= forecast.upper[h]!);
    expect(inBand.length).toBeGreaterThanOrEqual(8);
  });

  it('are reproducible: the same seed gives the same weights, another seed others', () => {
    expect(trainLstm(history, options)).toEqual(model);
    expect(trainLstm(history, { ...options, seed: 2 }).weights['recurrentKernel']).not.toEqual(
      model.weights['recurrentKernel'],
    );
  });

  it('keep working after a JSON round trip, reading only the last lookback values of the history', () => {
    const copy = JSON.parse(JSON.stringify(model));
    expect(forecastLstm(copy, history.slice(-14), 5)).toEqual(forecastLstm(model, history, 5));
  });

  it('forecast a constant series as that constant', () => {
    const constant = trainLstm(new Array(40).fill(5), { lookback: 7, units: 4, epochs: 20 });
    expect(constant.scale).toEqual({ mean: 5, sd: 1 });
    for (const value of forecastLstm(constant, new Array(7).fill(5), 3).mean) expect(value).toBeCloseTo(5, 1);
  });
});

describe('trainLstm and forecastLstm refuse bad input with VALIDATION_ERROR naming the field', () => {
  const cases: [string, () => unknown, string][] = [
    ['a series shorter than lookback + 2', () => trainLstm([1, 2, 3, 4], { lookback: 3 }), 'series'],
    ['a NaN in the series', () => trainLstm([1, 2, Number.NaN, 4, 5, 6], { lookback: 2 }), 'series'],
    ['an unknown option', () => trainLstm([1, 2, 3, 4, 5], { lookback: 2, unit: 3 } as never), 'unit'],
    ['zero units', () => trainLstm([1, 2, 3, 4, 5], { lookback: 2, units: 0 }), 'units'],
    ['a history shorter than the lookback', () => forecastLstm(model, history.slice(-13), 3), 'history'],
    ['a horizon of 0', () => forecastLstm(model, history, 0), 'horizon'],
    ['a model that is not an LSTM', () => forecastLstm({ ...model, weights: {} }, history, 3), 'model'],
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
});
