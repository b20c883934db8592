/**
 * The tabular learning library: `trainModel` / `predict` for RANDOM_FOREST, XGBOOST, SVM and
 * NEURAL_NETWORK on rows of named features, the algorithms' configuration schemas, the metrics
 * and the naive baselines, and the worker tasks the models capability registers.
 */

export { algorithmConfigSchema } from './config.ts';
export { predict, trainModel } from './learn.ts';
export {
  type ClassificationMetrics,
  classificationMetrics,
  majorityBaseline,
  meanBaseline,
  type RegressionMetrics,
  regressionMetrics,
} from './metrics.ts';
export {
  type FeatureValue,
  type LearnTask,
  type ModelFeature,
  type TabularAlgorithm,
  type TabularPrediction,
  type TabularRow,
  type TrainedModel,
  type TrainSpec,
  tabularAlgorithms,
} from './types.ts';
