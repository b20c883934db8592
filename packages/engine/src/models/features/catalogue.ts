/**
 * The feature catalogue of the predictive models: every name a model's `feature_columns` and
 * `target_column` may hold, what it means and when it is known. README.md ("Feature catalogue")
 * documents the same entries in a table.
 */

import type { AlgorithmType, ModelType } from '../../schema/enums.ts';
import { textHashBucketCount } from './text-hash.ts';

export type { ModelType } from '../../schema/enums.ts';

/**
 * One feature a model may use. `numeric` features are numbers (null when missing), `categorical`
 * ones text, `text_hash` ones expand to {@link textHashBucketCount} numeric columns
 * (`title_hash` → `title_hash_0` … `title_hash_31`). `knownAt: 'later'` marks a value that only
 * settles after the incident is opened: a model that predicts at creation may not use it.
 */
export interface CatalogueFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical' | 'text_hash';
  readonly knownAt: 'creation' | 'later';
  readonly description: string;
}

/** Features of one incident, for the per-incident models (severity, escalation, resolution time, cost). */
export const incidentFeatureCatalogue: readonly CatalogueFeature[] = [
  {
    name: 'title_length',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Characters (Unicode code points) of the title',
  },
  {
    name: 'description_length',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Characters (Unicode code points) of the description; 0 when it has none',
  },
  { name: 'category', kind: 'categorical', knownAt: 'creation', description: 'Category as text' },
  { name: 'subcategory', kind: 'categorical', knownAt: 'creation', description: 'Subcategory as text' },
  { name: 'service', kind: 'categorical', knownAt: 'creation', description: 'Affected service as text' },
  { name: 'team', kind: 'categorical', knownAt: 'creation', description: 'Owning team as text' },
  { name: 'priority', kind: 'categorical', knownAt: 'creation', description: 'Priority P1 … P5' },
  {
    name: 'severity',
    kind: 'categorical',
    knownAt: 'creation',
    description: 'Severity LOW … CRITICAL (not a feature of SEVERITY_PREDICTION, whose target it is)',
  },
  {
    name: 'hour_of_day',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Hour of created_at in UTC, 0 … 23',
  },
  {
    name: 'day_of_week',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Weekday of created_at in UTC, 0 = Monday … 6 = Sunday (as pandas dayofweek)',
  },
  {
    name: 'reassignment_count',
    kind: 'numeric',
    knownAt: 'later',
    description: 'Times the incident was reassigned: counted while it is worked on',
  },
  {
    name: 'reopen_count',
    kind: 'numeric',
    knownAt: 'later',
    description: 'Times the incident was reopened: counted after it is resolved',
  },
  {
    name: 'affected_users',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Users affected; missing when not given',
  },
  {
    name: 'title_hash',
    kind: 'text_hash',
    knownAt: 'creation',
    description: `Title words counted into ${textHashBucketCount} hashed buckets (title_hash_0 … title_hash_${textHashBucketCount - 1})`,
  },
  {
    name: 'description_hash',
    kind: 'text_hash',
    knownAt: 'creation',
    description: `Description words counted into ${textHashBucketCount} hashed buckets (description_hash_0 … description_hash_${textHashBucketCount - 1})`,
  },
];

/**
 * Features of one period of an incident-count series, for the tree and network forecasters of
 * INCIDENT_PREDICTION. A row of period t reads only the counts of periods before t.
 */
export const forecastFeatureCatalogue: readonly CatalogueFeature[] = [
  { name: 'lag_1', kind: 'numeric', knownAt: 'creation', description: 'Count of the previous period' },
  { name: 'lag_2', kind: 'numeric', knownAt: 'creation', description: 'Count two periods before' },
  {
    name: 'lag_7',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Count seven periods before (a week of days)',
  },
  {
    name: 'lag_24',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Count 24 periods before (a day of hours; for hourly series)',
  },
  {
    name: 'lag_168',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Count 168 periods before (a week of hours; for hourly series)',
  },
  {
    name: 'rolling_mean_7',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Mean count of the 7 previous periods',
  },
  {
    name: 'rolling_std_7',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Sample standard deviation (n − 1) of the counts of the 7 previous periods',
  },
  {
    name: 'hour_of_day',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Hour of the period start in UTC, 0 … 23',
  },
  {
    name: 'day_of_week',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Weekday of the period start in UTC, 0 = Monday … 6 = Sunday',
  },
  {
    name: 'day_of_month',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Day of the month of the period start in UTC, 1 … 31',
  },
  {
    name: 'is_weekend',
    kind: 'numeric',
    knownAt: 'creation',
    description: '1 when the period starts on a Saturday or Sunday (UTC), else 0',
  },
];

/**
 * The series the anomaly capability's detectors watch (the system anomaly model lists them as its
 * features): ANOMALY_DETECTION models choose among them.
 */
export const anomalyFeatureCatalogue: readonly CatalogueFeature[] = [
  { name: 'incident_count', kind: 'numeric', knownAt: 'creation', description: 'Incidents per period' },
  {
    name: 'severity_mix',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Share of each severity per period',
  },
  {
    name: 'category_counts',
    kind: 'numeric',
    knownAt: 'creation',
    description: 'Incidents per category and period',
  },
  {
    name: 'mtta_minutes',
    kind: 'numeric',
    knownAt: 'later',
    description: 'Mean time to acknowledge per period',
  },
];

/** What a model predicts: its column name, the kind of learning and how the value is computed. */
export interface TargetDefinition {
  readonly name: string;
  readonly task: 'classification' | 'regression' | 'forecast';
  readonly description: string;
}

/** The targets of each model type; the first is the default. ANOMALY_DETECTION has none. */
export const modelTargets: Readonly<Record<ModelType, readonly TargetDefinition[]>> = {
  SEVERITY_PREDICTION: [{ name: 'severity', task: 'classification', description: 'Severity LOW … CRITICAL' }],
  ESCALATION_PREDICTION: [
    {
      name: 'escalated',
      task: 'classification',
      description: "'true' when escalation_level > 0, else 'false'",
    },
  ],
  RESOLUTION_TIME_PREDICTION: [
    {
      name: 'resolution_hours',
      task: 'regression',
      description: '(resolved_at − created_at) in hours; resolved incidents only',
    },
  ],
  COST_PREDICTION: [
    {
      name: 'cost_amount',
      task: 'regression',
      description: 'Sum of the cost_amount of the incident’s cost analyses; incidents with at least one only',
    },
  ],
  INCIDENT_PREDICTION: [
    {
      name: 'incident_count',
      task: 'forecast',
      description: 'Incidents created per period (hour or day), zero-filled',
    },
  ],
  ANOMALY_DETECTION: [],
};

/** Model types that predict for one incident when it is opened: no feature known only later. */
export const predictsAtCreation: readonly ModelType[] = [
  'SEVERITY_PREDICTION',
  'ESCALATION_PREDICTION',
  'RESOLUTION_TIME_PREDICTION',
  'COST_PREDICTION',
];

const incidentDefaults = [
  'title_length',
  'description_length',
  'category',
  'subcategory',
  'service',
  'team',
  'priority',
  'severity',
  'hour_of_day',
  'day_of_week',
  'affected_users',
  'title_hash',
  'description_hash',
];

/** Default forecast features per series granularity (hourly series add the daily and weekly lags). */
export const defaultForecastFeatures: Readonly<Record<'hour' | 'day', readonly string[]>> = {
  day: [
    'lag_1',
    'lag_2',
    'lag_7',
    'rolling_mean_7',
    'rolling_std_7',
    'day_of_week',
    'day_of_month',
    'is_weekend',
  ],
  hour: [
    'lag_1',
    'lag_2',
    'lag_24',
    'lag_168',
    'rolling_mean_7',
    'rolling_std_7',
    'hour_of_day',
    'day_of_week',
    'is_weekend',
  ],
};

/**
 * The features a model uses when its `feature_columns` is empty or absent. INCIDENT_PREDICTION
 * lists the daily ones (see {@link defaultForecastFeatures} for hourly series).
 */
export const defaultFeatures: Readonly<Record<ModelType, readonly string[]>> = {
  SEVERITY_PREDICTION: incidentDefaults.filter((name) => name !== 'severity'),
  ESCALATION_PREDICTION: incidentDefaults,
  RESOLUTION_TIME_PREDICTION: incidentDefaults,
  COST_PREDICTION: incidentDefaults,
  INCIDENT_PREDICTION: defaultForecastFeatures.day,
  ANOMALY_DETECTION: anomalyFeatureCatalogue.map((feature) => feature.name),
};

const tabular: readonly AlgorithmType[] = ['RANDOM_FOREST', 'XGBOOST', 'SVM', 'NEURAL_NETWORK'];

/** The algorithms that fit each model type; any other combination is refused. */
export const validAlgorithms: Readonly<Record<ModelType, readonly AlgorithmType[]>> = {
  INCIDENT_PREDICTION: ['ARIMA', 'PROPHET', 'LSTM', 'XGBOOST', 'RANDOM_FOREST', 'NEURAL_NETWORK'],
  SEVERITY_PREDICTION: tabular,
  ESCALATION_PREDICTION: tabular,
  RESOLUTION_TIME_PREDICTION: tabular,
  COST_PREDICTION: tabular,
  ANOMALY_DETECTION: ['ISOLATION_FOREST'],
};

/** The catalogue a model type's features come from. */
export function catalogueOf(modelType: ModelType): readonly CatalogueFeature[] {
  if (modelType === 'INCIDENT_PREDICTION') return forecastFeatureCatalogue;
  if (modelType === 'ANOMALY_DETECTION') return anomalyFeatureCatalogue;
  return incidentFeatureCatalogue;
}
