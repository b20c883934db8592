/**
 * Scores of a model on held-out rows and the naive baselines it must beat: macro-averaged
 * classification scores with per-class scores and the confusion matrix, and the regression
 * errors. The definitions are scikit-learn's (`precision_recall_fscore_support` with
 * `average='macro'` and `zero_division=0`, `r2_score`, `mean_absolute_percentage_error`).
 */

import { EngineError } from '../../errors.ts';

/** Classification scores; accuracy is the share right, precision, recall and F1 are macro averages. */
export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** Rows are the actual labels, columns the predicted ones, both in `labels` order. */
  confusion_matrix: { labels: string[]; matrix: number[][] };
}

/** Regression errors; `mape` is a fraction (0.1 = 10%), null when an actual value is 0. */
export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
  mape: number | null;
}

function checkLengths(actual: ArrayLike<unknown>, predicted: ArrayLike<unknown>): void {
  if (actual.length !== predicted.length || actual.length === 0) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `metrics need as many predictions as actual values, at least one (got ${actual.length} and ${predicted.length})`,
      { errors: [{ field: 'predicted', message: 'length differs from actual' }] },
    );
  }
}

/**
 * Accuracy, macro precision / recall / F1 (a class never predicted has precision 0, as
 * scikit-learn's `zero_division=0`), per-class scores and the confusion matrix. `labels` default:
 * every label of `actual` and `predicted`, sorted (scikit-learn's default).
 */
export function classificationMetrics(
  actual: readonly string[],
  predicted: readonly string[],
  labels?: readonly string[],
): ClassificationMetrics {
  checkLengths(actual, predicted);
  const order = labels ? [...labels] : [...new Set([...actual, ...predicted])].sort();
  const index = new Map(order.map((label, k) => [label, k]));
  const matrix = order.map(() => order.map(() => 0));
  let right = 0;
  actual.forEach((label, i) => {
    const guess = predicted[i] as string;
    if (label === guess) right++;
    const a = index.get(label);
    const p = index.get(guess);
    if (a !== undefined && p !== undefined)
      (matrix[a] as number[])[p] = ((matrix[a] as number[])[p] as number) + 1;
  });
  const perClass: ClassificationMetrics['per_class'] = {};
  let precisionSum = 0;
  let recallSum = 0;
  let f1Sum = 0;
  order.forEach((label, k) => {
    const truePositives = (matrix[k] as number[])[k] as number;
    const support = actual.reduce((n, a) => n + (a === label ? 1 : 0), 0);
    const predictedCount = predicted.reduce((n, p) => n + (p === label ? 1 : 0), 0);
    const precision = predictedCount > 0 ? truePositives / predictedCount : 0;
    const recall = support > 0 ? truePositives / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    precisionSum += precision;
    recallSum += recall;
    f1Sum += f1;
  });
  const classes = Math.max(1, order.length);
  return {
    accuracy: right / actual.length,
    precision: precisionSum / classes,
    recall: recallSum / classes,
    f1: f1Sum / classes,
    per_class: perClass,
    confusion_matrix: { labels: order, matrix },
  };
}

/**
 * MAE, RMSE, R² (1 − SS_res / SS_tot; with constant actual values 1 when every prediction is
 * exact, else 0, as scikit-learn) and MAPE (null when an actual value is 0).
 */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionMetrics {
  checkLengths(actual, predicted);
  const n = actual.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i] as number;
  mean /= n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  let percentage = 0;
  let zero = false;
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    const error = a - (predicted[i] as number);
    absolute += Math.abs(error);
    squared += error * error;
    total += (a - mean) * (a - mean);
    if (a === 0) zero = true;
    else percentage += Math.abs(error) / Math.abs(a);
  }
  const r2 = total > 0 ? 1 - squared / total : squared === 0 ? 1 : 0;
  return { mae: absolute / n, rmse: Math.sqrt(squared / n), r2, mape: zero ? null : percentage / n };
}

/** The majority-class baseline: the training rows' most frequent label (ties: the first in sort order), `testCount` times. */
export function majorityBaseline(trainLabels: readonly string[], testCount: number): string[] {
  if (trainLabels.length === 0) {
    throw new EngineError('VALIDATION_ERROR', 'the majority baseline needs training labels', {
      errors: [{ field: 'trainLabels', message: 'empty' }],
    });
  }
  const counts = new Map<string, number>();
  for (const label of trainLabels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const [majority] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [
    string,
    number,
  ];
  return Array.from({ length: testCount }, () => majority);
}

/** The mean baseline: the training values' mean, `testCount` times. */
export function meanBaseline(trainValues: ArrayLike<number>, testCount: number): number[] {
  if (trainValues.length === 0) {
    throw new EngineError('VALIDATION_ERROR', 'the mean baseline needs training values', {
      errors: [{ field: 'trainValues', message: 'empty' }],
    });
  }
  let sum = 0;
  for (let i = 0; i < trainValues.length; i++) sum += trainValues[i] as number;
  const mean = sum / trainValues.length;
  return Array.from({ length: testCount }, () => mean);
}
