/**
 * Features of the predictive models: the documented catalogue, the check of a model's definition
 * (unknown names, targets, algorithms, leakage), and the set-wise reads of training rows, incident
 * features and count series from DuckDB. See README.md ("Feature catalogue").
 */

export {
  anomalyFeatureCatalogue,
  type CatalogueFeature,
  defaultFeatures,
  defaultForecastFeatures,
  forecastFeatureCatalogue,
  incidentFeatureCatalogue,
  type ModelType,
  modelTargets,
  predictsAtCreation,
  type TargetDefinition,
  validAlgorithms,
} from './catalogue.ts';
export { minIncidentsPerGroup, readCountSeries, type SeriesGranularity } from './count-series.ts';
export { featuresOfFields } from './fields.ts';
export { forecastRows, forecastTargetColumn } from './forecast-rows.ts';
export { checkModelDefinition } from './model-definition.ts';
export { splitByTime } from './split.ts';
export { textHashBucketCount } from './text-hash.ts';
export { readIncidentFeatures, readTrainingRows } from './training-rows.ts';
