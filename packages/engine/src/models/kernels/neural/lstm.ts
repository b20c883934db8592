import { mulberry32 } from '../../../random/mulberry32.ts';
import { LstmNetwork } from './lstm-network.ts';
import { Adam, clipByGlobalNorm, initUniform, shuffleInPlace } from './optim.ts';
import type { LstmForecast, LstmModel, LstmOptions } from './types.ts';
import { checkFinite, checkKeys, invalid, numberOption } from './validate.ts';

const optionKeys = ['lookback', 'units', 'epochs', 'learningRate', 'seed', 'batchSize', 'clipNorm'];
/** The 97.5% standard normal quantile: the band is mean ± 1.96·sd·√h. */
const z975 = 1.959963984540054;

/** Checks the options; fills in the defaults. */
function resolveOptions(options: Partial<LstmOptions>): Required<LstmOptions> {
  if (options === null || typeof options !== 'object') invalid('options must be an object', 'options');
  checkKeys(options, optionKeys, 'LSTM');
  return {
    lookback: numberOption(options, 'lookback', 14, 1, 10_000, true),
    units: numberOption(options, 'units', 32, 1, 1024, true),
    epochs: numberOption(options, 'epochs', 60, 1, 100_000, true),
    learningRate: numberOption(options, 'learningRate', 0.005, 0, 10, false, true),
    seed: numberOption(options, 'seed', 1, -(2 ** 53), 2 ** 53, true),
    batchSize: numberOption(options, 'batchSize', 32, 1, 1_000_000, true),
    clipNorm: numberOption(options, 'clipNorm', 1, 0, 1e12, false, true),
  };
}

/** Copies a finite series into a Float64Array, or throws naming the problem. */
function seriesOf(values: ArrayLike<number>, what: string): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    invalid(`${what} must be an array of numbers`, what);
  }
  const series = Float64Array.from(values);
  checkFinite(values, what);
  return series;
}

/**
 * Trains a one-step-ahead LSTM forecaster on a series: standardises it (mean, population sd; a
 * constant series keeps sd 1), cuts every window of `lookback` values with the value after it
 * as target, and fits one LSTM layer of `units` cells with a linear output by Adam over shuffled
 * minibatches of windows, minimising half the mean squared error, with full backpropagation
 * through time and the gradient clipped to `clipNorm`. Initial weights Glorot-uniform, biases
 * zero except the forget gate's (1, as Keras's `unit_forget_bias`).
 *
 * @param series the values in time order, finite, at least `lookback + 2` of them
 * @throws EngineError VALIDATION_ERROR naming the field when the series or an option is not valid
 */
export function trainLstm(series: ArrayLike<number>, options: Partial<LstmOptions> = {}): LstmModel {
  const settings = resolveOptions(options);
  const values = seriesOf(series, 'series');
  const { lookback, units } = settings;
  if (values.length < lookback + 2) {
    invalid(
      `series holds ${values.length} values; an LSTM with lookback ${lookback} needs at least ${lookback + 2}`,
      'series',
    );
  }
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const sd = Math.sqrt(squares / values.length) || 1;
  const scaled = values.map((value) => (value - mean) / sd);

  const windows = values.length - lookback;
  const batch = Math.min(settings.batchSize, windows);
  const net = new LstmNetwork(lookback, units, batch);
  const { gates, inputKernel, recurrentKernel, bias, outputKernel } = net.layout;
  const uniform = mulberry32(settings.seed);
  initUniform(net.params, inputKernel, gates, 1, gates, uniform);
  initUniform(net.params, recurrentKernel, units * gates, units, gates, uniform);
  initUniform(net.params, outputKernel, units, units, 1, uniform);
  net.params.fill(1, bias + units, bias + 2 * units);

  const starts = Int32Array.from({ length: windows }, (_, i) => i);
  const adam = new Adam(net.params.length, settings.learningRate);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(starts, uniform);
    for (let from = 0; from < windows; from += batch) {
      net.batchLoss(scaled, starts, from, Math.min(batch, windows - from));
      clipByGlobalNorm(net.grads, settings.clipNorm);
      adam.update(net.params, net.grads);
    }
  }

  let residualSquares = 0;
  starts.sort();
  for (let from = 0; from < windows; from += batch) {
    const count = Math.min(batch, windows - from);
    net.forwardBatch(scaled, starts, from, count);
    for (let b = 0; b < count; b++) {
      const actual = scaled[(starts[from + b] as number) + lookback] as number;
      residualSquares += (((net.predictions[b] as number) - actual) * sd) ** 2;
    }
  }
  const p = net.params;
  const block = (from: number, count: number) => Array.from(p.subarray(from, from + count));
  return {
    kind: 'lstm',
    lookback,
    units,
    weights: {
      inputKernel: block(inputKernel, gates),
      recurrentKernel: block(recurrentKernel, units * gates),
      bias: block(bias, gates),
      outputKernel: block(outputKernel, units),
      outputBias: block(net.layout.outputBias, 1),
    },
    scale: { mean, sd },
    residualSd: Math.sqrt(residualSquares / windows),
  };
}

/** Rebuilds the network of a trained model, checking its shape. */
function networkOf(model: LstmModel): LstmNetwork {
  if (model?.kind !== 'lstm' || !Number.isInteger(model.lookback) || !Number.isInteger(model.units)) {
    invalid('model is not an LSTM forecaster (kind lstm with lookback and units)', 'model');
  }
  const net = new LstmNetwork(model.lookback, model.units, 1);
  const { gates, inputKernel, recurrentKernel, bias, outputKernel, outputBias } = net.layout;
  const blocks: [string, number, number][] = [
    ['inputKernel', inputKernel, gates],
    ['recurrentKernel', recurrentKernel, model.units * gates],
    ['bias', bias, gates],
    ['outputKernel', outputKernel, model.units],
    ['outputBias', outputBias, 1],
  ];
  for (const [name, offset, count] of blocks) {
    const weights = model.weights?.[name];
    if (!Array.isArray(weights) || weights.length !== count) {
      invalid(`model weights.${name} must hold ${count} numbers`, 'model');
    }
    net.params.set(weights, offset);
  }
  if (!(model.scale?.sd > 0) || !Number.isFinite(model.scale.mean) || !(model.residualSd >= 0)) {
    invalid('model scale and residualSd must be finite, with sd > 0', 'model');
  }
  return net;
}

/**
 * Forecasts `horizon` steps after the end of `history` recursively: each step's prediction
 * becomes the last value of the next step's window. The 95% band is mean ± 1.96 · residualSd ·
 * √h at step h (the one-step error, growing as a random walk's would).
 *
 * @param history the series up to the forecast origin, at least `lookback` values (the last ones are read)
 * @throws EngineError VALIDATION_ERROR when the model, the history or the horizon is not valid
 */
export function forecastLstm(model: LstmModel, history: ArrayLike<number>, horizon: number): LstmForecast {
  const net = networkOf(model);
  const values = seriesOf(history, 'history');
  if (values.length < model.lookback) {
    invalid(`history holds ${values.length} values; this model reads the last ${model.lookback}`, 'history');
  }
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 100_000) {
    invalid(`horizon must be an integer 1 … 100000 (got ${String(horizon)})`, 'horizon');
  }
  const { mean: centre, sd } = model.scale;
  const window = new Float64Array(model.lookback + horizon);
  for (let t = 0; t < model.lookback; t++) {
    window[t] = ((values[values.length - model.lookback + t] as number) - centre) / sd;
  }
  const forecast: LstmForecast = { mean: [], lower: [], upper: [] };
  for (let h = 1; h <= horizon; h++) {
    const next = net.forward(window, h - 1);
    window[model.lookback + h - 1] = next;
    const value = next * sd + centre;
    const half = z975 * model.residualSd * Math.sqrt(h);
    forecast.mean.push(value);
    forecast.lower.push(value - half);
    forecast.upper.push(value + half);
  }
  return forecast;
}
