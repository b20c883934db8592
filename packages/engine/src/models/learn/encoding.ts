/**
 * How rows become numbers, fitted on the training rows only: the kind of each feature, class
 * labels as indices, a column-major matrix with category codes for the tree learners (native
 * categories), and a standardised, one-hot encoded row-major matrix for SVM and the network.
 */

import { EngineError } from '../../errors.ts';
import type { FeatureValue, LearnTask, ModelFeature, TabularRow } from './types.ts';

/** One-hot columns kept per categorical feature at most (the most frequent; the rest encode as all zeros). */
const maxOneHotCategories = 100;

function invalid(message: string, field: string): never {
  throw new EngineError('VALIDATION_ERROR', message, { errors: [{ field, message }] });
}

/** A cell as a number: numbers as they are (non-finite = missing), booleans 1/0, numeric text parsed, else NaN. */
function numericValue(value: FeatureValue | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : Number.NaN;
  }
  return Number.NaN;
}

/** A cell as a category: its text (booleans 'true' / 'false'), or null when missing. */
function categoryValue(value: FeatureValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return String(value);
}

/**
 * The features as the training rows show them: numeric when every non-null value is a number,
 * else categorical with its categories sorted. Throws VALIDATION_ERROR for no features or a
 * duplicate name.
 */
export function inferFeatures(rows: readonly TabularRow[], names: readonly string[]): ModelFeature[] {
  if (names.length === 0) invalid('at least one feature is needed', 'features');
  const seen = new Set<string>();
  return names.map((name) => {
    if (typeof name !== 'string' || name === '') invalid('feature names must be non-empty text', 'features');
    if (seen.has(name)) invalid(`feature ${name} is listed twice`, 'features');
    seen.add(name);
    let numeric = true;
    const categories = new Set<string>();
    for (const row of rows) {
      const value = row[name];
      if (value === null || value === undefined) continue;
      if (typeof value !== 'number') numeric = false;
      const category = categoryValue(value);
      if (category !== null) categories.add(category);
    }
    if (numeric) return { name, kind: 'numeric' };
    return { name, kind: 'categorical', categories: [...categories].sort() };
  });
}

/** The training target: class indices over the sorted labels, or finite values. */
export type EncodedTarget =
  | { readonly task: 'classification'; readonly classes: string[]; readonly codes: Int32Array }
  | { readonly task: 'regression'; readonly values: Float64Array };

/**
 * Reads the target column. Classification: labels as text (booleans 'true' / 'false'), at least
 * two distinct; regression: finite numbers. Throws VALIDATION_ERROR naming the first bad row.
 */
export function encodeTarget(rows: readonly TabularRow[], target: string, task: LearnTask): EncodedTarget {
  if (task === 'regression') {
    const values = new Float64Array(rows.length);
    rows.forEach((row, i) => {
      const value = row[target];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        invalid(`row ${i}: target ${target} must be a finite number (got ${String(value)})`, 'target');
      }
      values[i] = value;
    });
    return { task, values };
  }
  const labels = rows.map((row, i) => {
    const label = categoryValue(row[target]);
    if (label === null) invalid(`row ${i}: target ${target} is missing`, 'target');
    return label;
  });
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2) {
    invalid(
      `target ${target} needs at least two classes in the training rows (got ${classes.length})`,
      'target',
    );
  }
  const index = new Map(classes.map((label, k) => [label, k]));
  return { task, classes, codes: Int32Array.from(labels, (label) => index.get(label) as number) };
}

/**
 * The tree learners' matrix, column-major (`values[j * rows + i]`): numeric values (NaN when
 * missing), categorical features as the index of the category in the model's list (NaN when
 * missing or unseen in training).
 */
export function treeMatrix(rows: readonly TabularRow[], features: readonly ModelFeature[]): Float64Array {
  const n = rows.length;
  const values = new Float64Array(n * features.length);
  features.forEach((feature, j) => {
    const offset = j * n;
    if (feature.kind === 'numeric') {
      for (let i = 0; i < n; i++) values[offset + i] = numericValue((rows[i] as TabularRow)[feature.name]);
      return;
    }
    const codes = new Map((feature.categories ?? []).map((category, k) => [category, k]));
    for (let i = 0; i < n; i++) {
      const category = categoryValue((rows[i] as TabularRow)[feature.name]);
      values[offset + i] = category === null ? Number.NaN : (codes.get(category) ?? Number.NaN);
    }
  });
  return values;
}

/** The dense encoding of SVM and the network, fitted on the training rows (one entry per feature). */
export interface DenseEncoding {
  /** Numeric features: training mean (missing values take it); categorical: 0. */
  readonly means: number[];
  /** Numeric features: training standard deviation (1 when constant); categorical: 1. */
  readonly sds: number[];
  /** Categorical features: the one-hot categories (the most frequent, at most {@link maxOneHotCategories}); numeric: []. */
  readonly oneHot: string[][];
  /** Encoded columns in all. */
  readonly width: number;
}

/** Fits the dense encoding on the training rows. */
export function fitDenseEncoding(
  rows: readonly TabularRow[],
  features: readonly ModelFeature[],
): DenseEncoding {
  const means: number[] = [];
  const sds: number[] = [];
  const oneHot: string[][] = [];
  let width = 0;
  for (const feature of features) {
    if (feature.kind === 'numeric') {
      let count = 0;
      let sum = 0;
      let squares = 0;
      for (const row of rows) {
        const x = numericValue(row[feature.name]);
        if (Number.isNaN(x)) continue;
        count++;
        sum += x;
        squares += x * x;
      }
      const mean = count > 0 ? sum / count : 0;
      const variance = count > 0 ? Math.max(0, squares / count - mean * mean) : 0;
      const sd = Math.sqrt(variance);
      means.push(mean);
      sds.push(sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1);
      oneHot.push([]);
      width++;
      continue;
    }
    const counts = new Map<string, number>();
    for (const row of rows) {
      const category = categoryValue(row[feature.name]);
      if (category !== null) counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const kept = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxOneHotCategories)
      .map(([category]) => category)
      .sort();
    means.push(0);
    sds.push(1);
    oneHot.push(kept);
    width += kept.length;
  }
  return { means, sds, oneHot, width };
}

/**
 * Rows encoded row-major (`x[i * width + c]`): standardised numeric values (a missing value is
 * the training mean, so 0), then one column per kept category (an unseen or missing category is
 * all zeros).
 */
export function denseMatrix(
  rows: readonly TabularRow[],
  features: readonly ModelFeature[],
  encoding: DenseEncoding,
): Float64Array {
  const { width } = encoding;
  const x = new Float64Array(rows.length * width);
  let column = 0;
  features.forEach((feature, j) => {
    if (feature.kind === 'numeric') {
      const mean = encoding.means[j] as number;
      const sd = encoding.sds[j] as number;
      rows.forEach((row, i) => {
        const value = numericValue(row[feature.name]);
        x[i * width + column] = Number.isNaN(value) ? 0 : (value - mean) / sd;
      });
      column++;
      return;
    }
    const categories = encoding.oneHot[j] as string[];
    const index = new Map(categories.map((category, k) => [category, k]));
    rows.forEach((row, i) => {
      const category = categoryValue(row[feature.name]);
      const k = category === null ? undefined : index.get(category);
      if (k !== undefined) x[i * width + column + k] = 1;
    });
    column += categories.length;
  });
  return x;
}
