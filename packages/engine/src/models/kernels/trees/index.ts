/**
 * Histogram-based tree learners over typed arrays: a random forest and XGBoost-style regularised
 * gradient boosting, for binary and multiclass classification and regression, with missing
 * values and categorical features handled natively. Pure: no I/O, no clock, seeded randomness.
 */

export { trainBoosted } from './boosted.ts';
export { mergeForests, trainForest } from './forest.ts';
export { featureImportance, predictTrees } from './predict.ts';
export type { ForestOptions, TreeModel, TreeTask, TreeTrainingData } from './types.ts';
