/**
 * Shapes of the tabular learning library: rows in, a JSON-safe trained model out, predictions
 * per row. Shared by every algorithm (`RANDOM_FOREST`, `XGBOOST`, `SVM`, `NEURAL_NETWORK`).
 */

/** What a model learns: a class label or a real value. */
export type LearnTask = 'classification' | 'regression';

/** The algorithms of the tabular library, named as the predictive-model specification names them. */
export type TabularAlgorithm = 'RANDOM_FOREST' | 'XGBOOST' | 'SVM' | 'NEURAL_NETWORK';

/** The tabular algorithms, in a fixed order. */
export const tabularAlgorithms: readonly TabularAlgorithm[] = [
  'RANDOM_FOREST',
  'XGBOOST',
  'SVM',
  'NEURAL_NETWORK',
];

/** One cell: a number, a category (string or boolean), or `null` when missing. */
export type FeatureValue = number | string | boolean | null;

/** One row: feature values (and, when training, the target) by column name. */
export type TabularRow = Readonly<Record<string, FeatureValue>>;

/** What to train. */
export interface TrainSpec {
  readonly algorithm: TabularAlgorithm;
  readonly task: LearnTask;
  /** Column of each row holding the label (string or boolean) or the value (number). */
  readonly target: string;
  /** Feature columns: numeric when every non-null training value is a number, else categorical. */
  readonly features: readonly string[];
  /** Hyper-parameters by their scikit-learn / XGBoost names; unknown keys are refused. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Seed of every random choice; default 1. */
  readonly seed?: number;
}

/** A feature as the trained model reads it. */
export interface ModelFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Categorical: the categories seen in the training rows, in code order. */
  readonly categories?: string[];
}

/** A trained model: a plain JSON-safe object (numbers, strings, arrays), the artefact that is stored. */
export interface TrainedModel {
  readonly format: 'incident-insights.tabular/1';
  readonly algorithm: TabularAlgorithm;
  readonly task: LearnTask;
  readonly target: string;
  readonly features: readonly ModelFeature[];
  /** Classification: the class labels (booleans as 'true' / 'false'), sorted. */
  readonly classes?: readonly string[];
  /** The resolved hyper-parameters (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Trees: each feature's share of the total split gain (sums to 1). */
  readonly featureImportance?: Readonly<Record<string, number>>;
  /** Regression: the 5% and 95% quantiles of held-out (or out-of-bag) residuals actual − predicted. */
  readonly residuals?: { readonly q05: number; readonly q95: number };
  /** Rows the model was fitted on (after any sampling cap). */
  readonly trainingRows: number;
  /** Algorithm-specific state (trees, a libsvm model, network weights) and its encoding. */
  readonly state: unknown;
}

/** A prediction for one row: a label with class probabilities, or a value with a 90% interval. */
export type TabularPrediction =
  | { readonly label: string; readonly probabilities: Readonly<Record<string, number>> }
  | { readonly value: number; readonly lower: number; readonly upper: number };
