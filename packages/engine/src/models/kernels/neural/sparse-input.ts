/**
 * The first layer of a perceptron on sparse input (one-hot columns: mostly zeros), at a cost
 * proportional to the non-zero inputs instead of to every input. Each batch row keeps the
 * indices of its non-zero inputs (a CSR index of the batch); the forward product adds, for each
 * of them, the input times the weight column, and the weight gradient adds the deltas times the
 * input to that column. Every sum runs over the same terms in the same order as the dense product
 * (`gemm.ts`: inputs in ascending index, rows in ascending order, starting from zero), leaving out
 * only terms that are exactly zero, so the results are bit for bit those of the dense path.
 */

import { finishRows, type ProductEpilogue } from './gemm.ts';

/** Share of non-zero inputs at or below which `'auto'` uses the sparse first layer. */
export const sparseDensityCutoff = 0.25;

/** Share of the values of `x` that are not zero (0 for an empty matrix). */
export function nonZeroShare(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) count += +(x[i] !== 0);
  return count / x.length;
}

/** Work buffers of the sparse first layer for batches of up to `capacity` rows. */
export class SparseFirstLayer {
  /** Non-zero input columns of row `i`: `index[start[i] … start[i + 1] − 1]`, ascending. */
  private readonly index: Int32Array;
  private readonly start: Int32Array;
  /** The layer's weights input-major (inputs × outputs), so that a weight column is contiguous. */
  private readonly weightsByInput: Float64Array;
  /** The weight gradient input-major, before it is written back output-major. */
  private readonly gradientByInput: Float64Array;

  constructor(
    private readonly inputs: number,
    private readonly outputs: number,
    capacity: number,
  ) {
    this.index = new Int32Array(capacity * inputs);
    this.start = new Int32Array(capacity + 1);
    this.weightsByInput = new Float64Array(inputs * outputs);
    this.gradientByInput = new Float64Array(inputs * outputs);
  }

  /**
   * out (rows × outputs) = input (rows × inputs) · W (outputs × inputs, output-major at `wo` in
   * `params`)ᵀ, finished by `epilogue`; also records the batch's non-zero inputs for {@link gradient}.
   */
  forward(
    input: Float64Array,
    params: Float64Array,
    wo: number,
    out: Float64Array,
    rows: number,
    epilogue: ProductEpilogue,
  ): void {
    const { inputs, outputs, index, start, weightsByInput } = this;
    let count = 0;
    for (let i = 0; i < rows; i++) {
      start[i] = count;
      const row = i * inputs;
      for (let k = 0; k < inputs; k++) {
        if (input[row + k] !== 0) index[count++] = k;
      }
    }
    start[rows] = count;
    for (let j = 0; j < outputs; j++) {
      const from = wo + j * inputs;
      for (let k = 0; k < inputs; k++) weightsByInput[k * outputs + j] = params[from + k] as number;
    }
    for (let i = 0; i < rows; i++) {
      const row = i * outputs;
      out.fill(0, row, row + outputs);
      for (let p = start[i] as number; p < (start[i + 1] as number); p++) {
        const k = index[p] as number;
        const value = input[i * inputs + k] as number;
        const column = k * outputs;
        for (let j = 0; j < outputs; j++) {
          out[row + j] = (out[row + j] as number) + value * (weightsByInput[column + j] as number);
        }
      }
    }
    finishRows(out, 0, 0, rows, rows, outputs, epilogue);
  }

  /**
   * The weight gradient (outputs × inputs, output-major, written at `go` in `grads`) = deltaᵀ ·
   * input over the rows of the last {@link forward}; `delta` is rows × outputs, row-major.
   */
  gradient(input: Float64Array, delta: Float64Array, grads: Float64Array, go: number, rows: number): void {
    const { inputs, outputs, index, start, gradientByInput } = this;
    gradientByInput.fill(0);
    for (let i = 0; i < rows; i++) {
      const deltaRow = i * outputs;
      for (let p = start[i] as number; p < (start[i + 1] as number); p++) {
        const k = index[p] as number;
        const value = input[i * inputs + k] as number;
        const column = k * outputs;
        for (let j = 0; j < outputs; j++) {
          gradientByInput[column + j] =
            (gradientByInput[column + j] as number) + (delta[deltaRow + j] as number) * value;
        }
      }
    }
    for (let j = 0; j < outputs; j++) {
      const to = go + j * inputs;
      for (let k = 0; k < inputs; k++) grads[to + k] = gradientByInput[k * outputs + j] as number;
    }
  }
}
