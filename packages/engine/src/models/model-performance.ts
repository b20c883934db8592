import type { AlgorithmType, ModelType } from '../schema/enums.ts';
import type { ClassificationMetrics, RegressionMetrics } from './model-learners.ts';

/** The spec's four scores. */
export interface ModelScores {
  accuracy_score: number | null;
  precision_score: number | null;
  recall_score: number | null;
  f1_score: number | null;
}

/** Metrics of a count forecast on held-out periods: MASE, sMAPE (percent), interval coverage, MAE. */
export interface ForecastMetrics {
  mase: number;
  smape: number;
  coverage: number | null;
  mae: number;
}

/** How the anomalies an ANOMALY_DETECTION model stored fared with the people who reviewed them. */
export interface AnomalyReviews {
  /** Anomalies stored under the model. */
  detections: number;
  /** Of those, marked CONFIRMED or FALSE_POSITIVE (kept after resolution). */
  reviewed: number;
  confirmed: number;
  false_positives: number;
  /** confirmed / reviewed; null while nothing is reviewed. */
  review_precision: number | null;
}

/** What an anomaly model found over its training window. */
export interface AnomalyMetrics {
  /** Points (hours) examined. */
  points: number;
  /** Detections the detector reported. */
  detections: number;
  /** Detections per 1,000 points. */
  detections_per_1000_points: number;
  /** How people reviewed the anomalies the model stored (added when the performance is read). */
  reviews?: AnomalyReviews;
}

/** The task a model's type performs. */
export type ModelTask = 'classification' | 'regression' | 'forecast' | 'anomaly';

/** The evaluation stored with a version: what `performance()` reports besides the model's identity. */
export interface ModelPerformanceReport {
  task: ModelTask;
  scores: ModelScores;
  metrics: ClassificationMetrics | RegressionMetrics | ForecastMetrics | AnomalyMetrics;
  baseline: {
    name: 'majority_class' | 'mean' | 'seasonal_naive' | 'none';
    metrics: ClassificationMetrics | RegressionMetrics | ForecastMetrics | null;
  };
  /** Whether the model beats its baseline on the headline metric; null when there is no baseline. */
  beats_baseline: boolean | null;
  /** One sentence saying how the model compares with its baseline. */
  verdict: string;
  feature_importance: Record<string, number> | null;
  evaluated_on: {
    train_rows: number;
    test_rows: number;
    train_end: string;
    test_start: string;
    test_end: string;
  };
  /** Anything a reader should know (a forecast fit replaced by seasonal naive, groups left out, ...). */
  notes: string[];
}

/** `GET /predictive-models/{id}/performance/`: the serving version's evaluation and live accuracy. */
export interface ModelPerformance extends ModelPerformanceReport {
  model_id: string;
  version: string;
  model_type: ModelType;
  algorithm_type: AlgorithmType;
  live_accuracy: { accuracy: number | null; validated_insights: number };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Classifier scores: the macro averages of the held-out predictions. */
export function classificationScores(m: ClassificationMetrics): ModelScores {
  return {
    accuracy_score: round(m.accuracy),
    precision_score: round(m.precision),
    recall_score: round(m.recall),
    f1_score: round(m.f1),
  };
}

/** Regressor scores: accuracy_score = R² clipped at 0; precision, recall and F1 have no meaning (null). */
export function regressionScores(m: RegressionMetrics): ModelScores {
  return {
    accuracy_score: round(Math.max(0, m.r2)),
    precision_score: null,
    recall_score: null,
    f1_score: null,
  };
}

/** Forecast scores: accuracy_score = 1 − sMAPE/200 (sMAPE in percent, so in [0, 1]); the others null. */
export function forecastScores(m: ForecastMetrics): ModelScores {
  return {
    accuracy_score: round(Math.max(0, 1 - m.smape / 200)),
    precision_score: null,
    recall_score: null,
    f1_score: null,
  };
}

/**
 * The headline comparison with the baseline: macro-F1 for classifiers (higher wins), MAE for
 * regressors and MASE for forecasts (lower wins). Ties do not beat the baseline.
 */
export function compareWithBaseline(
  task: 'classification' | 'regression' | 'forecast',
  model: ClassificationMetrics | RegressionMetrics | ForecastMetrics,
  baseline: ClassificationMetrics | RegressionMetrics | ForecastMetrics,
): { beats: boolean; verdict: string } {
  const f = (x: number): string => x.toFixed(3);
  if (task === 'classification') {
    const a = (model as ClassificationMetrics).f1;
    const b = (baseline as ClassificationMetrics).f1;
    return a > b
      ? { beats: true, verdict: `beats the majority-class baseline: macro-F1 ${f(a)} against ${f(b)}` }
      : {
          beats: false,
          verdict: `does not beat the majority-class baseline: macro-F1 ${f(a)} against ${f(b)}`,
        };
  }
  if (task === 'regression') {
    const a = (model as RegressionMetrics).mae;
    const b = (baseline as RegressionMetrics).mae;
    return a < b
      ? { beats: true, verdict: `beats the mean baseline: MAE ${f(a)} against ${f(b)}` }
      : { beats: false, verdict: `does not beat the mean baseline: MAE ${f(a)} against ${f(b)}` };
  }
  const a = (model as ForecastMetrics).mase;
  const b = (baseline as ForecastMetrics).mase;
  return a < b
    ? { beats: true, verdict: `beats seasonal naive: MASE ${f(a)} against ${f(b)}` }
    : { beats: false, verdict: `does not beat seasonal naive: MASE ${f(a)} against ${f(b)}` };
}
