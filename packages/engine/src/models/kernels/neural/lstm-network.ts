import { multiplyTransposed, type ProductEpilogue, transposeInto } from './gemm.ts';

/**
 * A one-layer LSTM (Hochreiter & Schmidhuber 1997, with a forget gate) reading windows of a
 * univariate series and predicting the value after each from its last hidden state through a
 * linear output, with full backpropagation through time over the window. Parameters live in one
 * flat vector (see {@link lstmParameterLayout}); work buffers are allocated once per network.
 */

/** Where each weight block starts in the flat parameter vector, for `units` cells. */
export function lstmParameterLayout(units: number) {
  const gates = 4 * units;
  const inputKernel = 0;
  const recurrentKernel = inputKernel + gates;
  const bias = recurrentKernel + units * gates;
  const outputKernel = bias + gates;
  const outputBias = outputKernel + units;
  return { gates, inputKernel, recurrentKernel, bias, outputKernel, outputBias, size: outputBias + 1 };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * The network and its buffers for batches of up to `capacity` windows, run in lockstep so that
 * each step's recurrent product is one matrix product (see `gemm.ts`) over the whole batch.
 * Gate order in every block: input, forget, cell candidate, output. The recurrent kernel is
 * row-major units × 4·units (row k: hidden unit k's weights into all the gates).
 */
export class LstmNetwork {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  readonly layout: ReturnType<typeof lstmParameterLayout>;
  /** The last batch's predictions. */
  readonly predictions: Float64Array;
  /** Per step t and window b: the four gate activations, at (t · capacity + b) · 4·units. */
  private readonly gateValues: Float64Array;
  /** Cell and hidden states, block t + 1 after step t (block 0 is the zero start), each capacity × units. */
  private readonly cells: Float64Array;
  private readonly hidden: Float64Array;
  private readonly cellTanh: Float64Array;
  /** Per step: the gradient with respect to the gates' inputs (capacity × 4·units). */
  private readonly dz: Float64Array;
  private readonly dh: Float64Array;
  private readonly dc: Float64Array;
  private readonly recurrentT: Float64Array;
  private readonly hiddenT: Float64Array;
  private readonly dzT: Float64Array;
  private readonly recurrentGrad: Float64Array;
  private readonly dPredictions: Float64Array;
  private readonly single = new Int32Array(1);
  /** The recurrent product finishes by adding the gate biases. */
  private readonly gateBias: ProductEpilogue;

  constructor(
    readonly lookback: number,
    readonly units: number,
    readonly capacity = 32,
  ) {
    this.layout = lstmParameterLayout(units);
    const { gates } = this.layout;
    this.params = new Float64Array(this.layout.size);
    this.grads = new Float64Array(this.layout.size);
    this.predictions = new Float64Array(capacity);
    this.gateValues = new Float64Array(lookback * capacity * gates);
    this.cells = new Float64Array((lookback + 1) * capacity * units);
    this.hidden = new Float64Array((lookback + 1) * capacity * units);
    this.cellTanh = new Float64Array(lookback * capacity * units);
    this.dz = new Float64Array(lookback * capacity * gates);
    this.dh = new Float64Array(capacity * units);
    this.dc = new Float64Array(capacity * units);
    this.recurrentT = new Float64Array(units * gates);
    this.hiddenT = new Float64Array(units * lookback * capacity);
    this.dzT = new Float64Array(gates * lookback * capacity);
    this.recurrentGrad = new Float64Array(units * gates);
    this.dPredictions = new Float64Array(capacity);
    this.gateBias = { bias: this.params, biasOffset: this.layout.bias };
  }

  /** Predicts the value after the window `series[start … start + lookback − 1]`. */
  forward(series: Float64Array, start: number): number {
    this.single[0] = start;
    this.forwardBatch(series, this.single, 0, 1);
    return this.predictions[0] as number;
  }

  /** Runs the windows starting at `starts[from … from + count − 1]`; fills `predictions`. */
  forwardBatch(series: Float64Array, starts: Int32Array, from: number, count: number): void {
    const { params: w, units, lookback, capacity, gateValues, cells, hidden, cellTanh } = this;
    const { gates, inputKernel, recurrentKernel, bias, outputKernel, outputBias } = this.layout;
    if (count > capacity) throw new RangeError(`batch of ${count} windows exceeds the capacity ${capacity}`);
    transposeInto(w, recurrentKernel, units, gates, this.recurrentT);
    for (let t = 0; t < lookback; t++) {
      const z = t * capacity * gates;
      const before = t * capacity * units;
      const after = before + capacity * units;
      if (t === 0) {
        for (let b = 0; b < count; b++) {
          for (let j = 0; j < gates; j++) gateValues[z + b * gates + j] = w[bias + j] as number;
        }
      } else {
        const epilogue = this.gateBias;
        multiplyTransposed(hidden, before, this.recurrentT, 0, gateValues, z, count, gates, units, epilogue);
      }
      for (let b = 0; b < count; b++) {
        const x = series[(starts[from + b] as number) + t] as number;
        const row = z + b * gates;
        for (let j = 0; j < gates; j++)
          gateValues[row + j] = (gateValues[row + j] as number) + x * (w[inputKernel + j] as number);
        const state = b * units;
        for (let u = 0; u < units; u++) {
          const i = sigmoid(gateValues[row + u] as number);
          const f = sigmoid(gateValues[row + units + u] as number);
          const g = Math.tanh(gateValues[row + 2 * units + u] as number);
          const o = sigmoid(gateValues[row + 3 * units + u] as number);
          gateValues[row + u] = i;
          gateValues[row + units + u] = f;
          gateValues[row + 2 * units + u] = g;
          gateValues[row + 3 * units + u] = o;
          const c = f * (cells[before + state + u] as number) + i * g;
          const tc = Math.tanh(c);
          cells[after + state + u] = c;
          cellTanh[before + state + u] = tc;
          hidden[after + state + u] = o * tc;
        }
      }
    }
    const last = lookback * capacity * units;
    for (let b = 0; b < count; b++) {
      let prediction = w[outputBias] as number;
      for (let u = 0; u < units; u++) {
        prediction += (w[outputKernel + u] as number) * (hidden[last + b * units + u] as number);
      }
      this.predictions[b] = prediction;
    }
  }

  /**
   * Backpropagation through time after {@link forwardBatch} on the same windows: adds to `grads`
   * the gradient of a loss whose derivative with respect to prediction b is `dPredictions[b]`.
   */
  backwardBatch(
    series: Float64Array,
    starts: Int32Array,
    from: number,
    count: number,
    dPredictions: Float64Array,
  ): void {
    const {
      params: w,
      grads: g,
      units,
      lookback,
      capacity,
      gateValues,
      cells,
      hidden,
      cellTanh,
      dz,
      dh,
      dc,
    } = this;
    const { gates, inputKernel, recurrentKernel, bias, outputKernel, outputBias } = this.layout;
    const last = lookback * capacity * units;
    for (let b = 0; b < count; b++) {
      const d = dPredictions[b] as number;
      g[outputBias] = (g[outputBias] as number) + d;
      for (let u = 0; u < units; u++) {
        g[outputKernel + u] = (g[outputKernel + u] as number) + d * (hidden[last + b * units + u] as number);
        dh[b * units + u] = d * (w[outputKernel + u] as number);
      }
    }
    dc.fill(0);
    for (let t = lookback - 1; t >= 0; t--) {
      const z = t * capacity * gates;
      const before = t * capacity * units;
      for (let b = 0; b < count; b++) {
        const row = z + b * gates;
        const state = b * units;
        const x = series[(starts[from + b] as number) + t] as number;
        for (let u = 0; u < units; u++) {
          const i = gateValues[row + u] as number;
          const f = gateValues[row + units + u] as number;
          const gc = gateValues[row + 2 * units + u] as number;
          const o = gateValues[row + 3 * units + u] as number;
          const tc = cellTanh[before + state + u] as number;
          const dhu = dh[state + u] as number;
          const dcu = (dc[state + u] as number) + dhu * o * (1 - tc * tc);
          dz[row + u] = dcu * gc * i * (1 - i);
          dz[row + units + u] = dcu * (cells[before + state + u] as number) * f * (1 - f);
          dz[row + 2 * units + u] = dcu * i * (1 - gc * gc);
          dz[row + 3 * units + u] = dhu * tc * o * (1 - o);
          dc[state + u] = dcu * f;
        }
        for (let j = 0; j < gates; j++) {
          const d = dz[row + j] as number;
          g[bias + j] = (g[bias + j] as number) + d;
          g[inputKernel + j] = (g[inputKernel + j] as number) + d * x;
        }
      }
      // the hidden state before step 0 is zero: nothing flows further back
      if (t > 0) multiplyTransposed(dz, z, w, recurrentKernel, dh, 0, count, units, gates);
    }
    if (lookback < 2) return;
    // recurrent kernel gradient, Σ over steps t ≥ 1 and windows of h(t − 1)ᵀ · dz(t), as one product
    // over the stacked (step, window) rows; with a full batch those rows are contiguous
    let stacked = 0;
    for (let t = 1; t < lookback; t++) {
      for (let b = 0; b < count; b++) {
        const h = (t * capacity + b) * units;
        const d = (t * capacity + b) * gates;
        for (let u = 0; u < units; u++)
          this.hiddenT[u * (lookback - 1) * count + stacked] = hidden[h + u] as number;
        for (let j = 0; j < gates; j++) this.dzT[j * (lookback - 1) * count + stacked] = dz[d + j] as number;
        stacked++;
      }
    }
    multiplyTransposed(this.hiddenT, 0, this.dzT, 0, this.recurrentGrad, 0, units, gates, stacked);
    for (let p = 0; p < units * gates; p++) {
      g[recurrentKernel + p] = (g[recurrentKernel + p] as number) + (this.recurrentGrad[p] as number);
    }
  }

  /**
   * Loss of a batch of windows, half the mean squared error of the predictions of
   * `series[start + lookback]` from `series[start …]` for `starts[from … from + count − 1]`;
   * fills `grads` with its gradient.
   */
  batchLoss(series: Float64Array, starts: Int32Array, from: number, count: number): number {
    this.grads.fill(0);
    this.forwardBatch(series, starts, from, count);
    const dPredictions = this.dPredictions;
    let loss = 0;
    for (let b = 0; b < count; b++) {
      const error =
        (this.predictions[b] as number) - (series[(starts[from + b] as number) + this.lookback] as number);
      loss += 0.5 * error * error;
      dPredictions[b] = error / count;
    }
    this.backwardBatch(series, starts, from, count, dPredictions);
    return loss / count;
  }
}
