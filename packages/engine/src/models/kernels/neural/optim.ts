/**
 * The pieces both neural learners share: Adam over one flat parameter vector, seeded Glorot-uniform
 * initialisation, seeded shuffles and gradient clipping.
 */

/** Adam (Kingma & Ba 2015) with scikit-learn's and Keras's defaults, over one flat parameter vector. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private step = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One step: moves `params` against `grads` (both of the size given at construction). */
  update(params: Float64Array, grads: Float64Array): void {
    this.step++;
    const { m, v, beta1, beta2, epsilon } = this;
    const rate = (this.learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    const n = params.length;
    for (let p = 0; p < n; p++) {
      const g = grads[p] as number;
      const mp = beta1 * (m[p] as number) + (1 - beta1) * g;
      const vp = beta2 * (v[p] as number) + (1 - beta2) * g * g;
      m[p] = mp;
      v[p] = vp;
      params[p] = (params[p] as number) - (rate * mp) / (Math.sqrt(vp) + epsilon);
    }
  }
}

/**
 * Fills `count` values from `offset` with Glorot-uniform draws (Glorot & Bengio 2010): uniform in
 * [−bound, bound], bound = √(6 / (fanIn + fanOut)).
 */
export function initUniform(
  target: Float64Array,
  offset: number,
  count: number,
  fanIn: number,
  fanOut: number,
  uniform: () => number,
): void {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  for (let p = offset; p < offset + count; p++) target[p] = (2 * uniform() - 1) * bound;
}

/** Shuffles `order` in place (Fisher–Yates) with draws from `uniform`. */
export function shuffleInPlace(order: Int32Array, uniform: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
}

/** Scales `grads` so that its L2 norm is at most `maxNorm`; returns the norm before scaling. */
export function clipByGlobalNorm(grads: Float64Array, maxNorm: number): number {
  let sum = 0;
  for (let p = 0; p < grads.length; p++) sum += (grads[p] as number) ** 2;
  const norm = Math.sqrt(sum);
  if (norm > maxNorm) {
    const factor = maxNorm / norm;
    for (let p = 0; p < grads.length; p++) grads[p] = (grads[p] as number) * factor;
  }
  return norm;
}
