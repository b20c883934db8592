/**
 * Shapes of the neural kernels: the options of the multilayer perceptron and of the LSTM
 * forecaster, and their models. A model is plain data: it survives `JSON.stringify` and
 * `JSON.parse` unchanged and predicts the same afterwards.
 */

/** What a multilayer perceptron predicts: a class (softmax) or a real number (linear output). */
export type MlpTask = 'classification' | 'regression';

/**
 * Options of {@link trainMlp}. Names and defaults follow scikit-learn's MLPClassifier and
 * MLPRegressor (`hidden_layer_sizes`, `max_iter`, `batch_size`, `learning_rate_init`, `alpha`,
 * `early_stopping`), except the hidden layers (64 and 32 here, one of 100 there).
 */
export interface MlpOptions {
  readonly task: MlpTask;
  /** Number of classes (classification); default the largest class index + 1, at least 2. */
  readonly classes?: number;
  /** Widths of the hidden ReLU layers, input side first; default [64, 32]. */
  readonly hidden: readonly number[];
  /** Maximum number of passes over the training rows; default 200. */
  readonly epochs: number;
  /** Rows per Adam step (the last batch of an epoch may be smaller); default 200, at most the rows. */
  readonly batchSize: number;
  /** Adam's step size; default 0.001 (β1 0.9, β2 0.999, ε 1e-8 as scikit-learn). */
  readonly learningRate: number;
  /** L2 penalty on the weights (not the biases), scikit-learn's `alpha`; default 0.0001. */
  readonly l2: number;
  /**
   * `true`: hold out 10% of the rows (stratified by class for classification), stop when the
   * validation score (accuracy, or R²) has not improved by 1e-4 for more than 10 epochs, and keep
   * the best epoch's weights. `false` (default, as scikit-learn): stop when the training loss has
   * not improved by 1e-4 for more than 10 epochs, keeping the last weights.
   */
  readonly earlyStopping: boolean;
  /** Seed of the engine's generator (mulberry32) for the initial weights, the split and the shuffles; default 1. */
  readonly seed: number;
  /**
   * The first layer's product over the non-zero inputs only (one-hot columns): `'auto'` (default)
   * when at most a quarter of the training values are non-zero, `true` always, `false` never. The
   * trained weights are the same either way (only the time differs).
   */
  readonly sparseInput: boolean | 'auto';
}

/**
 * One dense layer: `weights` row-major with `rows` = inputs and `cols` = outputs (the weight from
 * input `k` to output `j` is `weights[k * cols + j]`), and one bias per output.
 */
interface MlpLayer {
  weights: number[];
  biases: number[];
  rows: number;
  cols: number;
}

/** A trained multilayer perceptron, returned by {@link trainMlp}. */
export interface MlpModel {
  readonly kind: 'mlp';
  readonly inputs: number;
  /** Classes (classification) or 1 (regression). */
  readonly outputs: number;
  /** Input side first; every layer but the last is followed by a ReLU. */
  readonly layers: MlpLayer[];
  /**
   * Regression with `earlyStopping`: actual − predicted (target units) on the held-out validation
   * rows, with the kept weights. Out of sample for the weights, though those rows chose the epoch.
   * Not needed to predict: a caller that stores the model may leave it out.
   */
  readonly heldOutResiduals?: number[];
  readonly task: MlpTask;
  /** Epochs the training ran before it stopped (at most `epochs`). */
  readonly epochs?: number;
}

/** Options of {@link trainLstm}. */
export interface LstmOptions {
  /** Past values the forecaster reads for each step; default 14. */
  readonly lookback: number;
  /** LSTM cells of the one layer; default 32. */
  readonly units: number;
  /** Passes over the training windows; default 60. */
  readonly epochs: number;
  /** Adam's step size; default 0.005. */
  readonly learningRate: number;
  /** Seed of the engine's generator (mulberry32) for the initial weights and the shuffles; default 1. */
  readonly seed: number;
  /** Windows per Adam step; default 32. */
  readonly batchSize?: number;
  /** The gradient of a step is scaled down to this global L2 norm when it is longer; default 1. */
  readonly clipNorm?: number;
}

/**
 * A trained LSTM forecaster, returned by {@link trainLstm}. `weights`: `inputKernel` (4 × units:
 * the input's weight into the input, forget, cell and output gates, in that order),
 * `recurrentKernel` (units × 4·units, row-major), `bias` (4 × units), `outputKernel` (units),
 * `outputBias` (1). It works on the series standardised by `scale`; `residualSd` is the root mean
 * square of its one-step-ahead errors on the training windows, in the series' units.
 */
export interface LstmModel {
  readonly kind: 'lstm';
  readonly lookback: number;
  readonly units: number;
  readonly weights: Record<string, number[]>;
  readonly scale: { mean: number; sd: number };
  readonly residualSd: number;
}

/** A forecast of {@link forecastLstm}: the mean path and its 95% band, one value per step ahead. */
export interface LstmForecast {
  mean: number[];
  lower: number[];
  upper: number[];
}
