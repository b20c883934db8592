/**
 * Boosting's per-row arithmetic: the gradients and hessians of the loss at the current margins,
 * and the step that adds a new tree's leaf weights to its rows' margins. Both are row by row, so
 * any split of the rows between threads gives the same numbers.
 */

import type { BoostedOptions } from './types.ts';

/** Hessians are kept at or above this, so a leaf of confident rows stays finite. */
const minHessian = 1e-16;

/** A loss whose gradient at a row needs only that row's margin: squared error or logistic. */
export type SingleOutputLoss = 0 | 1;
/** Squared error (g = ŷ − y, h = 1). */
export const squaredErrorLoss: SingleOutputLoss = 0;
/** Logistic (g = p − y, h = p(1 − p)). */
export const logisticLoss: SingleOutputLoss = 1;

/** The logistic function, without overflow: 1 / (1 + e^−z). */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Writes (g, h) of output `k` for every row into `stats`, interleaved. */
export function fillGradients(
  task: BoostedOptions['task'],
  k: number,
  outputs: number,
  target: ArrayLike<number>,
  margins: Float64Array,
  probabilities: Float64Array,
  stats: Float64Array,
): void {
  const rows = target.length;
  if (task === 'regression') {
    for (let i = 0; i < rows; i++) {
      stats[2 * i] = (margins[i] as number) - (target[i] as number);
      stats[2 * i + 1] = 1;
    }
  } else if (task === 'binary') {
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(margins[i] as number);
      stats[2 * i] = p - (target[i] as number);
      stats[2 * i + 1] = Math.max(p * (1 - p), minHessian);
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const p = probabilities[i * outputs + k] as number;
      stats[2 * i] = p - ((target[i] as number) === k ? 1 : 0);
      stats[2 * i + 1] = Math.max(p * (1 - p), minHessian);
    }
  }
}

/**
 * For the rows at positions `from … to − 1` of `rows`: adds the weight of the leaf holding each
 * (leaf `l` holds positions `leaves[3l] … leaves[3l + 1] − 1` and weighs `leaves[3l + 2]`) to its
 * margin, then writes the row's next (g, h) into `stats`: exactly what adding the tree to the
 * margins and then {@link fillGradients} give for those rows.
 */
export function stepRows(
  loss: SingleOutputLoss,
  rows: Int32Array,
  leaves: Float64Array,
  leafCount: number,
  from: number,
  to: number,
  margins: Float64Array,
  target: Float64Array,
  stats: Float64Array,
): void {
  for (let l = 0; l < leafCount; l++) {
    const first = Math.max(from, leaves[3 * l] as number);
    const last = Math.min(to, leaves[3 * l + 1] as number);
    const weight = leaves[3 * l + 2] as number;
    for (let r = first; r < last; r++) {
      const row = rows[r] as number;
      const margin = (margins[row] as number) + weight;
      margins[row] = margin;
      if (loss === squaredErrorLoss) {
        stats[2 * row] = margin - (target[row] as number);
        stats[2 * row + 1] = 1;
      } else {
        const p = sigmoid(margin);
        stats[2 * row] = p - (target[row] as number);
        stats[2 * row + 1] = Math.max(p * (1 - p), minHessian);
      }
    }
  }
}
