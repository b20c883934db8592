/**
 * NEURAL_NETWORK: a multilayer perceptron (ReLU layers, Adam; `models/kernels/neural`) on
 * standardised numeric and one-hot categorical columns, after scikit-learn's MLPClassifier /
 * MLPRegressor. A regression target is standardised for training (the network predicts z-scores,
 * turned back into values), which scikit-learn leaves to the caller. With `early_stopping`, a
 * regression's interval comes from the residuals on the 10% of rows held out to validate (out of
 * sample for the weights, though they chose the epoch; drawn at random, not the newest), so the
 * interval costs no second fit; without it, `trainModel` fits again on the oldest 80%.
 */

import { type MlpModel, predictMlp, trainMlp } from '../kernels/neural/index.ts';
import type { FitInput, FitResult, RawPrediction, TabularLearner } from './algorithm.ts';
import type { NeuralNetworkConfig } from './config.ts';
import { type DenseEncoding, denseMatrix, fitDenseEncoding } from './encoding.ts';

/** What a network model keeps. */
interface NeuralState {
  readonly encoding: DenseEncoding;
  readonly network: MlpModel;
  /** Regression: the target's training mean and standard deviation. */
  readonly targetScale: { mean: number; sd: number } | null;
}

/** NEURAL_NETWORK: scikit-learn's MLP on our typed-array kernel. */
export const neuralNetworkLearner: TabularLearner = {
  async fit(input: FitInput): Promise<FitResult> {
    const config = input.config as NeuralNetworkConfig;
    const { rows, features, target } = input;
    const encoding = fitDenseEncoding(rows, features);
    const x = denseMatrix(rows, features, encoding);
    let y: Float64Array;
    let targetScale: NeuralState['targetScale'] = null;
    if (target.task === 'classification') {
      y = Float64Array.from(target.codes);
    } else {
      let mean = 0;
      for (const v of target.values) mean += v;
      mean /= target.values.length;
      let variance = 0;
      for (const v of target.values) variance += (v - mean) * (v - mean);
      const sd = Math.sqrt(variance / target.values.length) || 1;
      targetScale = { mean, sd };
      y = Float64Array.from(target.values, (v) => (v - mean) / sd);
    }
    const network = trainMlp(x, rows.length, encoding.width, y, {
      task: target.task,
      ...(target.task === 'classification' ? { classes: target.classes.length } : {}),
      hidden: config.hidden_layer_sizes,
      epochs: config.max_iter,
      batchSize:
        config.batch_size === 'auto' ? Math.min(200, rows.length) : Math.min(config.batch_size, rows.length),
      learningRate: config.learning_rate_init,
      l2: config.alpha,
      earlyStopping: config.early_stopping,
      seed: input.seed,
    });
    const { heldOutResiduals, ...kept } = network;
    const state: NeuralState = { encoding, network: kept, targetScale };
    if (heldOutResiduals === undefined || targetScale === null) return { state, trainingRows: rows.length };
    // Early stopping's validation rows give the interval's residuals: no second fit.
    const { sd } = targetScale;
    return {
      state,
      trainingRows: rows.length,
      residuals: Float64Array.from(heldOutResiduals, (r) => r * sd),
    };
  },

  async predictRaw(state, rows, { features, task }): Promise<RawPrediction> {
    const { encoding, network, targetScale } = state as NeuralState;
    const x = denseMatrix(rows, features, encoding);
    const output = predictMlp(network, x, rows.length);
    if (task === 'classification') return { probabilities: output };
    const { mean, sd } = targetScale ?? { mean: 0, sd: 1 };
    return { values: Float64Array.from(output, (z) => mean + sd * z) };
  },
};
