import { mulberry32 } from '../../../random/mulberry32.ts';
import { MlpNetwork } from './mlp-network.ts';
import { resolveMlpOptions } from './mlp-options.ts';
import { Adam, initUniform, shuffleInPlace } from './optim.ts';
import { nonZeroShare, sparseDensityCutoff } from './sparse-input.ts';
import type { MlpModel, MlpOptions } from './types.ts';
import { checkMatrix, invalid } from './validate.ts';

/** scikit-learn's `validation_fraction`, `n_iter_no_change` and `tol`. */
const validationShare = 0.1;
const patience = 10;
const tolerance = 1e-4;
/** Rows per forward pass when predicting. */
const predictChunk = 1024;

/**
 * Holds out ⌈10%⌉ of the rows: for classification every (rows / held-out)-th row of the shuffled
 * rows grouped by class, so each class keeps its share; for regression the first of the shuffled rows.
 */
function splitRows(
  y: Float64Array,
  rows: number,
  stratify: boolean,
  uniform: () => number,
): { train: Int32Array; validation: Int32Array } {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  shuffleInPlace(order, uniform);
  const held = Math.min(rows - 1, Math.ceil(validationShare * rows));
  const grouped = stratify
    ? Int32Array.from(order).sort((a, b) => (y[a] as number) - (y[b] as number))
    : order;
  const isHeld = new Uint8Array(rows);
  for (let p = 0; p < rows; p++) {
    const take = stratify ? Math.floor(((p + 1) * held) / rows) > Math.floor((p * held) / rows) : p < held;
    if (take) isHeld[grouped[p] as number] = 1;
  }
  return { train: order.filter((i) => isHeld[i] === 0), validation: order.filter((i) => isHeld[i] === 1) };
}

/** Copies the rows `order[from … from + count − 1]` of `x` into the network's input buffer. */
function gatherRows(
  net: MlpNetwork,
  x: Float32Array | Float64Array,
  cols: number,
  order: Int32Array,
  from: number,
  count: number,
): void {
  const input = net.activations[0] as Float64Array;
  for (let r = 0; r < count; r++) {
    const source = (order[from + r] as number) * cols;
    const target = r * cols;
    for (let j = 0; j < cols; j++) input[target + j] = x[source + j] as number;
  }
}

/** Validation score: accuracy (classification) or R² (regression, on the scaled target). */
function validationScore(
  net: MlpNetwork,
  x: Float32Array | Float64Array,
  cols: number,
  targets: Float64Array,
  rows: Int32Array,
): number {
  const width = net.sizes[net.sizes.length - 1] as number;
  let hits = 0;
  let residual = 0;
  let mean = 0;
  for (let i = 0; i < rows.length; i++) mean += targets[rows[i] as number] as number;
  mean /= rows.length;
  let total = 0;
  for (let from = 0; from < rows.length; from += net.capacity) {
    const count = Math.min(net.capacity, rows.length - from);
    gatherRows(net, x, cols, rows, from, count);
    net.forward(count);
    const out = net.output;
    for (let r = 0; r < count; r++) {
      const target = targets[rows[from + r] as number] as number;
      if (net.task === 'classification') {
        let best = 0;
        for (let j = 1; j < width; j++)
          if ((out[r * width + j] as number) > (out[r * width + best] as number)) best = j;
        if (best === target) hits++;
      } else {
        residual += ((out[r] as number) - target) ** 2;
        total += (target - mean) ** 2;
      }
    }
  }
  if (net.task === 'classification') return hits / rows.length;
  return total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
}

/**
 * Trains a multilayer perceptron as scikit-learn's MLPClassifier / MLPRegressor do (ReLU hidden
 * layers; softmax and cross-entropy, or a linear output and squared error; Adam over shuffled
 * minibatches; L2 penalty; stopping on a plateau of the training loss or, with `earlyStopping`,
 * of the score on a held-out 10%). Weights and biases start Glorot-uniform, U(±√(6 / (fan-in +
 * fan-out))), as scikit-learn's do for ReLU networks. A regression target is standardised for
 * training and the scale folded back into the output layer, so the model predicts in its units.
 *
 * @param x features, row-major (`x[i * cols + j]`), finite, already scaled by the caller
 * @param y one value per row: the class index (0 … classes − 1) or the target value
 * @throws EngineError VALIDATION_ERROR naming the field when the data or an option is not valid
 */
export function trainMlp(
  x: Float32Array | Float64Array,
  rows: number,
  cols: number,
  y: Float64Array,
  options: Partial<MlpOptions> & { task: MlpOptions['task'] },
): MlpModel {
  checkMatrix(x, rows, cols);
  const settings = resolveMlpOptions(options, y, rows);
  const classification = settings.task === 'classification';
  const uniform = mulberry32(settings.seed);
  const sizes = [cols, ...settings.hidden, classification ? settings.classes : 1];
  const { train, validation } = settings.earlyStopping
    ? splitRows(y, rows, classification, uniform)
    : { train: Int32Array.from({ length: rows }, (_, i) => i), validation: new Int32Array(0) };

  let yMean = 0;
  let ySd = 1;
  const targets = y.slice();
  if (!classification) {
    for (const i of train) yMean += y[i] as number;
    yMean /= train.length;
    let squares = 0;
    for (const i of train) squares += ((y[i] as number) - yMean) ** 2;
    ySd = Math.sqrt(squares / train.length) || 1;
    for (let i = 0; i < rows; i++) targets[i] = ((y[i] as number) - yMean) / ySd;
  }

  const batch = Math.min(settings.batchSize, train.length);
  const sparse =
    settings.sparseInput === 'auto'
      ? nonZeroShare(x.subarray(0, rows * cols)) <= sparseDensityCutoff
      : settings.sparseInput;
  const net = new MlpNetwork(sizes, settings.task, batch, sparse);
  for (let l = 0; l < net.layerCount; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    initUniform(net.params, net.weightOffset[l] as number, fanIn * fanOut, fanIn, fanOut, uniform);
    initUniform(net.params, net.biasOffset[l] as number, fanOut, fanIn, fanOut, uniform);
  }
  const adam = new Adam(net.params.length, settings.learningRate);
  const batchTargets = new Float64Array(batch);
  const bestParams = settings.earlyStopping ? net.params.slice() : null;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestLoss = Number.POSITIVE_INFINITY;
  let stale = 0;
  let epochs = 0;
  while (epochs < settings.epochs) {
    epochs++;
    shuffleInPlace(train, uniform);
    let lossSum = 0;
    for (let from = 0; from < train.length; from += batch) {
      const count = Math.min(batch, train.length - from);
      gatherRows(net, x, cols, train, from, count);
      for (let r = 0; r < count; r++) batchTargets[r] = targets[train[from + r] as number] as number;
      net.forward(count);
      lossSum += net.backward(batchTargets, count, settings.l2) * count;
      adam.update(net.params, net.grads);
    }
    if (bestParams !== null) {
      const score = validationScore(net, x, cols, targets, validation);
      stale = score < bestScore + tolerance ? stale + 1 : 0;
      if (score > bestScore) {
        bestScore = score;
        bestParams.set(net.params);
      }
    } else {
      const loss = lossSum / train.length;
      stale = loss > bestLoss - tolerance ? stale + 1 : 0;
      bestLoss = Math.min(bestLoss, loss);
    }
    if (stale > patience) break;
  }
  if (bestParams !== null) net.params.set(bestParams);
  const model = { ...modelOf(net, yMean, ySd), epochs };
  if (bestParams === null || classification) return model;
  return { ...model, heldOutResiduals: heldOutResiduals(net, x, cols, targets, validation, ySd) };
}

/** actual − predicted on the held-out `rows`, in the target's units (the scaled residual times `ySd`). */
function heldOutResiduals(
  net: MlpNetwork,
  x: Float32Array | Float64Array,
  cols: number,
  targets: Float64Array,
  rows: Int32Array,
  ySd: number,
): number[] {
  const residuals: number[] = [];
  for (let from = 0; from < rows.length; from += net.capacity) {
    const count = Math.min(net.capacity, rows.length - from);
    gatherRows(net, x, cols, rows, from, count);
    net.forward(count);
    for (let r = 0; r < count; r++) {
      residuals.push(((targets[rows[from + r] as number] as number) - (net.output[r] as number)) * ySd);
    }
  }
  return residuals;
}

/** The plain-data model of a trained network; a regression's target scale goes into the output layer. */
function modelOf(net: MlpNetwork, yMean: number, ySd: number): MlpModel {
  const layers = [];
  for (let l = 0; l < net.layerCount; l++) {
    const rows = net.sizes[l] as number;
    const cols = net.sizes[l + 1] as number;
    const wo = net.weightOffset[l] as number;
    const bo = net.biasOffset[l] as number;
    const weights = new Array<number>(rows * cols);
    for (let k = 0; k < rows; k++) {
      for (let j = 0; j < cols; j++) weights[k * cols + j] = net.params[wo + j * rows + k] as number;
    }
    const biases = Array.from(net.params.subarray(bo, bo + cols));
    if (net.task === 'regression' && l === net.layerCount - 1) {
      for (let p = 0; p < weights.length; p++) weights[p] = (weights[p] as number) * ySd;
      biases[0] = (biases[0] as number) * ySd + yMean;
    }
    layers.push({ weights, biases, rows, cols });
  }
  const outputs = net.sizes[net.sizes.length - 1] as number;
  return { kind: 'mlp', inputs: net.sizes[0] as number, outputs, layers, task: net.task };
}

/** Checks that a model is a well-formed {@link MlpModel}; returns its layer widths. */
function checkModel(model: MlpModel): number[] {
  if (model?.kind !== 'mlp' || !Array.isArray(model.layers) || model.layers.length === 0) {
    invalid('model is not a multilayer perceptron (kind mlp with layers)', 'model');
  }
  const sizes = [model.inputs];
  for (const [l, layer] of model.layers.entries()) {
    if (
      layer.rows !== sizes[l] ||
      layer.weights.length !== layer.rows * layer.cols ||
      layer.biases.length !== layer.cols
    ) {
      invalid(`model layer ${l} does not fit its neighbours (rows, cols, weights, biases)`, 'model');
    }
    sizes.push(layer.cols);
  }
  if (sizes[sizes.length - 1] !== model.outputs)
    invalid('model outputs do not match its last layer', 'model');
  return sizes;
}

/**
 * Predicts with a trained perceptron: for classification `rows × outputs` softmax probabilities
 * (row-major), for regression one value per row.
 *
 * @param x features, row-major, scaled as the training features were
 * @throws EngineError VALIDATION_ERROR when `x` does not fit the model
 */
export function predictMlp(model: MlpModel, x: Float32Array | Float64Array, rows: number): Float64Array {
  const sizes = checkModel(model);
  checkMatrix(x, rows, model.inputs, 0);
  const sparse = nonZeroShare(x.subarray(0, rows * model.inputs)) <= sparseDensityCutoff;
  const net = new MlpNetwork(sizes, model.task, Math.min(rows, predictChunk), sparse);
  for (const [l, layer] of model.layers.entries()) {
    const wo = net.weightOffset[l] as number;
    for (let k = 0; k < layer.rows; k++) {
      for (let j = 0; j < layer.cols; j++)
        net.params[wo + j * layer.rows + k] = layer.weights[k * layer.cols + j] as number;
    }
    net.params.set(layer.biases, net.biasOffset[l]);
  }
  const outputs = model.outputs;
  const result = new Float64Array(rows * outputs);
  const input = net.activations[0] as Float64Array;
  for (let from = 0; from < rows; from += net.capacity) {
    const count = Math.min(net.capacity, rows - from);
    input.set(x.subarray(from * model.inputs, (from + count) * model.inputs));
    net.forward(count);
    result.set(net.output.subarray(0, count * outputs), from * outputs);
  }
  return result;
}
