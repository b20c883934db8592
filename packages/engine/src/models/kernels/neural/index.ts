/**
 * Neural kernels over typed arrays: a multilayer perceptron (classification and regression, as
 * scikit-learn's MLP) and a one-layer LSTM one-step-ahead forecaster with recursive multi-step
 * forecasts. Pure: no I/O, no clock, seeded randomness.
 */

export { forecastLstm, trainLstm } from './lstm.ts';
export { predictMlp, trainMlp } from './mlp.ts';
/** The signed options and model shapes, for callers that build or store them. @public */
export type { LstmModel, LstmOptions, MlpModel, MlpOptions } from './types.ts';
