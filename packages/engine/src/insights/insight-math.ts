import { normalSf } from '../anomaly/kernels/special-functions.ts';
import { normalQuantile } from '../anomaly/kernels/student-t.ts';

/**
 * The pure arithmetic of insights: confidence levels, the interval of a sum of forecast steps,
 * the probability that a value with an interval exceeds a threshold, and the accuracy of a
 * validated insight. No clock, no store.
 */

/** The confidence levels of an insight, highest first. */
export const confidenceLevels = ['HIGH', 'MEDIUM', 'LOW'] as const;

/** One of {@link confidenceLevels}. */
export type ConfidenceLevel = (typeof confidenceLevels)[number];

/** Scores at or above this are HIGH. */
export const highConfidenceCutoff = 0.8;
/** Scores at or above this (and below {@link highConfidenceCutoff}) are MEDIUM; below, LOW. */
export const mediumConfidenceCutoff = 0.5;

/**
 * The level of a confidence score in [0, 1]: HIGH from {@link highConfidenceCutoff} (0.8), MEDIUM
 * from {@link mediumConfidenceCutoff} (0.5), LOW below.
 */
export function confidenceLevelOf(score: number): ConfidenceLevel {
  if (score >= highConfidenceCutoff) return 'HIGH';
  if (score >= mediumConfidenceCutoff) return 'MEDIUM';
  return 'LOW';
}

/**
 * The confidence of a count forecast from its interval: 1 / (1 + w), w = (upper − lower) /
 * (2 · max(value, 1)), the interval's half-width relative to the forecast. A forecast of 42 between
 * 31 and 55 has w = 12 / 42 ≈ 0.286 and confidence ≈ 0.778 (MEDIUM); an interval as wide as the
 * value on each side gives 0.5.
 */
export function intervalConfidence(value: number, lower: number, upper: number): number {
  const width = Math.max(0, upper - lower) / (2 * Math.max(Math.abs(value), 1));
  return clamp01(1 / (1 + width));
}

/**
 * The total of the forecast steps of a window with its interval. The bounds are summed too: that is
 * the interval of the sum when the steps' errors move together (a busy Monday makes a busy
 * Tuesday likelier), which is wider and safer than assuming them independent.
 */
export function sumSteps(steps: readonly { mean: number; lower: number; upper: number }[]): {
  value: number;
  lower: number;
  upper: number;
} {
  let value = 0;
  let lower = 0;
  let upper = 0;
  for (const step of steps) {
    value += step.mean;
    lower += Math.max(0, step.lower);
    upper += step.upper;
  }
  return { value, lower: Math.min(lower, value), upper: Math.max(upper, value) };
}

/**
 * The probability that a quantity exceeds `threshold`, reading its prediction as a normal
 * distribution whose central `coverage` interval (default 0.9: the 5% and 95% quantiles) is
 * `[lower, upper]`. With a zero-width interval the answer is 1 or 0.
 */
export function probabilityAbove(
  prediction: { value: number; lower: number; upper: number },
  threshold: number,
  coverage = 0.9,
): number {
  const z = normalQuantile(0.5 + coverage / 2);
  const sd = Math.max(0, prediction.upper - prediction.lower) / (2 * z);
  if (!(sd > 0)) return prediction.value > threshold ? 1 : 0;
  return clamp01(normalSf((threshold - prediction.value) / sd));
}

/**
 * The accuracy of a validated count or amount forecast: 1 − |actual − predicted| / max(actual,
 * predicted), in [0, 1]; 1 when both are 0. 42 predicted and 35 seen: 1 − 7/42 ≈ 0.833.
 */
export function countAccuracy(actual: number, predicted: number): number {
  const a = Math.max(0, actual);
  const p = Math.max(0, predicted);
  const scale = Math.max(a, p);
  if (scale === 0) return 1;
  return clamp01(1 - Math.abs(a - p) / scale);
}

/**
 * The accuracy of a validated risk: the share of its incidents for which the risk came true (1 or
 * 0 for a single incident); `null` for an insight without incidents.
 */
export function riskAccuracy(cameTrue: readonly boolean[]): number | null {
  if (cameTrue.length === 0) return null;
  return cameTrue.filter(Boolean).length / cameTrue.length;
}

/**
 * The relative difference of a forecast from a reference, as a phrase: "20% above", "5% below",
 * "in line with" (within 5%); `null` when the reference is 0.
 */
export function comparedTo(value: number, reference: number): string | null {
  if (!(reference > 0)) return null;
  const change = (value - reference) / reference;
  if (Math.abs(change) < 0.05) return 'in line with';
  return `${Math.round(Math.abs(change) * 100)}% ${change > 0 ? 'above' : 'below'}`;
}

/** The average of the values, `null` for none. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The median (the mean of the two middle values for an even count), `null` for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
