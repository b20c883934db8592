import { multiplyTransposed, type ProductEpilogue, transposeInto } from './gemm.ts';
import { SparseFirstLayer } from './sparse-input.ts';
import type { MlpTask } from './types.ts';

/**
 * A multilayer perceptron's parameters and its work buffers for batches of up to `capacity` rows,
 * allocated once. All parameters live in one flat vector (`params`, layer by layer: the weights
 * output-major, the weight from input `k` to output `j` at `j × inputs + k`, then the biases) so
 * that Adam, the L2 penalty and the gradient check see one vector; `grads` has the same layout.
 *
 * Every product is {@link multiplyTransposed}, whose inner loop is a dot product of two
 * contiguous rows: forward, activations against weight rows; backward, the transposed deltas
 * against the transposed activations (the weight gradient, summed over the batch) and the deltas
 * against the transposed weights (the delta of the layer below). With `sparseInput`, the first
 * layer's forward product and weight gradient instead go through {@link SparseFirstLayer}, at a
 * cost proportional to the non-zero inputs, with the same results.
 */
export class MlpNetwork {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** Where layer `l`'s weights start in `params` (and `grads`). */
  readonly weightOffset: number[];
  /** Where layer `l`'s biases start. */
  readonly biasOffset: number[];
  /** `activations[0]` is the input batch (filled by the caller), `activations[l + 1]` layer `l`'s output. */
  readonly activations: Float64Array[];
  /** `deltas[l]`: the loss's gradient with respect to layer `l`'s pre-activation output (rows × width). */
  private readonly deltas: Float64Array[];
  /** The same activations and deltas transposed (width × rows), for the weight gradients. */
  private readonly activationsT: Float64Array[];
  private readonly deltasT: Float64Array[];
  /** Scratch: one layer's weights transposed (inputs × outputs). */
  private readonly weightT: Float64Array;
  /** Per layer, what the forward product and the backward product of the delta below finish with. */
  private readonly forwardEpilogues: ProductEpilogue[];
  private readonly backwardEpilogues: ProductEpilogue[];
  /** The first layer on sparse input, or null for the dense product. */
  private readonly sparseFirst: SparseFirstLayer | null;

  constructor(
    readonly sizes: readonly number[],
    readonly task: MlpTask,
    readonly capacity: number,
    sparseInput = false,
  ) {
    this.weightOffset = [];
    this.biasOffset = [];
    let total = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.weightOffset.push(total);
      total += (sizes[l] as number) * (sizes[l + 1] as number);
      this.biasOffset.push(total);
      total += sizes[l + 1] as number;
    }
    this.params = new Float64Array(total);
    this.grads = new Float64Array(total);
    this.activations = sizes.map((width) => new Float64Array(capacity * width));
    this.deltas = sizes.slice(1).map((width) => new Float64Array(capacity * width));
    this.activationsT = sizes.slice(0, -1).map((width) => new Float64Array(capacity * width));
    this.deltasT = sizes.slice(1).map((width) => new Float64Array(capacity * width));
    let largestLayer = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      largestLayer = Math.max(largestLayer, (sizes[l] as number) * (sizes[l + 1] as number));
    }
    this.weightT = new Float64Array(largestLayer);
    this.sparseFirst = sparseInput
      ? new SparseFirstLayer(sizes[0] as number, sizes[1] as number, capacity)
      : null;
    this.forwardEpilogues = [];
    this.backwardEpilogues = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const hidden = l + 2 < sizes.length;
      const transposed = hidden ? { transposed: this.activationsT[l + 1] as Float64Array } : {};
      this.forwardEpilogues.push({
        bias: this.params,
        biasOffset: this.biasOffset[l] as number,
        relu: hidden,
        ...transposed,
      });
      this.backwardEpilogues.push(
        l > 0
          ? { mask: this.activations[l] as Float64Array, transposed: this.deltasT[l - 1] as Float64Array }
          : {},
      );
    }
  }

  /** Number of layers (weight matrices). */
  get layerCount(): number {
    return this.sizes.length - 1;
  }

  /** The output of the last layer for the first `rows` input rows: softmax probabilities or values. */
  get output(): Float64Array {
    return this.activations[this.sizes.length - 1] as Float64Array;
  }

  /** Forward pass over the first `rows` rows of `activations[0]`. */
  forward(rows: number): void {
    const { params: w, sizes } = this;
    const last = sizes.length - 2;
    for (let l = 0; l <= last; l++) {
      const out = this.activations[l + 1] as Float64Array;
      const inWidth = sizes[l] as number;
      const outWidth = sizes[l + 1] as number;
      const input = this.activations[l] as Float64Array;
      const wo = this.weightOffset[l] as number;
      const epilogue = this.forwardEpilogues[l] as ProductEpilogue;
      if (l === 0 && this.sparseFirst !== null) this.sparseFirst.forward(input, w, wo, out, rows, epilogue);
      else multiplyTransposed(input, 0, w, wo, out, 0, rows, outWidth, inWidth, epilogue);
      if (l === last && this.task === 'classification') {
        for (let i = 0; i < rows; i++) softmaxRow(out, i * outWidth, outWidth);
      }
    }
  }

  /**
   * Backward pass after {@link forward} over the same rows: fills `grads` with the gradient of
   * the batch loss and returns that loss. The loss is scikit-learn's: mean cross-entropy (targets
   * are class indices) or half the mean squared error, plus ½·l2·Σw² / rows.
   */
  backward(targets: Float64Array, rows: number, l2: number): number {
    const { params: w, grads: g, sizes } = this;
    const outWidth = sizes[sizes.length - 1] as number;
    const probabilities = this.output;
    const top = this.deltas[this.layerCount - 1] as Float64Array;
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const zi = i * outWidth;
      const target = targets[i] as number;
      if (this.task === 'classification') {
        for (let j = 0; j < outWidth; j++) top[zi + j] = (probabilities[zi + j] as number) / rows;
        const p = probabilities[zi + target] as number;
        loss -= Math.log(Math.min(Math.max(p, 1e-15), 1 - 1e-15));
        top[zi + target] = (top[zi + target] as number) - 1 / rows;
      } else {
        const error = (probabilities[zi] as number) - target;
        loss += 0.5 * error * error;
        top[zi] = error / rows;
      }
    }
    transposeInto(top, 0, rows, outWidth, this.deltasT[this.layerCount - 1] as Float64Array);
    if (this.sparseFirst === null) {
      transposeInto(
        this.activations[0] as Float64Array,
        0,
        rows,
        sizes[0] as number,
        this.activationsT[0] as Float64Array,
      );
    }
    loss /= rows;
    let squares = 0;
    const { weightT } = this;
    for (let l = this.layerCount - 1; l >= 0; l--) {
      const deltaT = this.deltasT[l] as Float64Array;
      const width = sizes[l + 1] as number;
      const inWidth = sizes[l] as number;
      const wo = this.weightOffset[l] as number;
      const bo = this.biasOffset[l] as number;
      // weight gradient (width × inWidth) = deltaᵀ · input: rows of deltaᵀ against rows of inputᵀ
      if (l === 0 && this.sparseFirst !== null) {
        const input = this.activations[0] as Float64Array;
        this.sparseFirst.gradient(input, this.deltas[0] as Float64Array, g, wo, rows);
      } else {
        multiplyTransposed(deltaT, 0, this.activationsT[l] as Float64Array, 0, g, wo, width, inWidth, rows);
      }
      for (let j = 0; j < width; j++) {
        let sum = 0;
        for (let i = j * rows; i < (j + 1) * rows; i++) sum += deltaT[i] as number;
        g[bo + j] = sum;
      }
      if (l > 0) {
        // delta below (rows × inWidth) = delta · W: rows of delta against rows of Wᵀ, masked by the ReLU
        transposeInto(w, wo, width, inWidth, weightT);
        const epilogue = this.backwardEpilogues[l] as ProductEpilogue;
        const below = this.deltas[l - 1] as Float64Array;
        multiplyTransposed(
          this.deltas[l] as Float64Array,
          0,
          weightT,
          0,
          below,
          0,
          rows,
          inWidth,
          width,
          epilogue,
        );
      }
      const decay = l2 / rows;
      for (let p = wo; p < bo; p++) {
        const weight = w[p] as number;
        squares += weight * weight;
        g[p] = (g[p] as number) + decay * weight;
      }
    }
    return loss + (0.5 * l2 * squares) / rows;
  }
}

/** Softmax of `row[offset … offset + width − 1]` in place, shifted by the maximum for stability. */
function softmaxRow(row: Float64Array, offset: number, width: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = offset; j < offset + width; j++) if ((row[j] as number) > max) max = row[j] as number;
  let sum = 0;
  for (let j = offset; j < offset + width; j++) {
    const e = Math.exp((row[j] as number) - max);
    row[j] = e;
    sum += e;
  }
  for (let j = offset; j < offset + width; j++) row[j] = (row[j] as number) / sum;
}
