import { mulberry32 } from '../../random/mulberry32.ts';

/** Options of {@link isolationForest}; defaults are those of Liu, Ting & Zhou (2008) and scikit-learn. */
export interface IsolationForestOptions {
  /** Number of trees t; default 100. */
  readonly trees?: number;
  /** Subsample size ψ per tree; default min(256, rows). */
  readonly sampleSize?: number;
  /** Seed of the generator (mulberry32); default 42. */
  readonly seed?: number;
}

/** A row-major matrix of features: `rows × cols` values. */
export interface FeatureMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

const eulerGamma = 0.5772156649015329;

/**
 * c(n), the average path length of an unsuccessful search in a binary search tree of n points
 * (Liu et al. 2008, eq. 1): 2H(n−1) − 2(n−1)/n with H(i) ≈ ln i + γ; c(2) = 1, c(n ≤ 1) = 0.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + eulerGamma) - (2 * (n - 1)) / n;
}

/**
 * Isolation forest (Liu, Ting & Zhou 2008, ICDM): t random trees, each grown on a subsample of ψ rows
 * without replacement by splitting on a random feature at a uniform random value between its
 * minimum and maximum, up to depth ⌈log₂ ψ⌉. A row's score is s = 2^(−E[h(x)] / c(ψ)), where h is its
 * path length plus c(size) of the leaf it ends in: near 1 is anomalous, at or below 0.5 is normal
 * (scikit-learn's `score_samples` returns −s). Cost O(t·ψ log ψ) to grow, O(t·log ψ) per row to score.
 */
export function isolationForest(matrix: FeatureMatrix, options: IsolationForestOptions = {}): Float64Array {
  const { data, rows, cols } = matrix;
  const trees = options.trees ?? 100;
  const psi = Math.min(options.sampleSize ?? 256, rows);
  const scores = new Float64Array(rows);
  if (rows === 0) return scores;
  const random = mulberry32(options.seed ?? 42);
  const maxDepth = Math.ceil(Math.log2(Math.max(2, psi)));
  // Flat node arrays; a tree has at most 2ψ − 1 nodes.
  const cap = 2 * psi;
  const feature = new Int32Array(cap);
  const split = new Float64Array(cap);
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  const size = new Int32Array(cap);
  const pool = new Int32Array(rows);
  const sample = new Int32Array(psi);
  const pathSum = new Float64Array(rows);
  for (let t = 0; t < trees; t++) {
    // Partial Fisher–Yates: the first ψ entries become the subsample.
    for (let i = 0; i < rows; i++) pool[i] = i;
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(random() * (rows - i));
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
      sample[i] = pool[i]!;
    }
    let nodes = 0;
    const grow = (lo: number, hi: number, depth: number): number => {
      const id = nodes++;
      const count = hi - lo;
      size[id] = count;
      feature[id] = -1;
      if (depth >= maxDepth || count <= 1) return id;
      // Pick a feature that is not constant on this node; give up (leaf) after a few tries.
      for (let attempt = 0; attempt < cols * 2 + 2; attempt++) {
        const f = Math.floor(random() * cols);
        let min = Number.POSITIVE_INFINITY;
        let max = Number.NEGATIVE_INFINITY;
        for (let i = lo; i < hi; i++) {
          const v = data[sample[i]! * cols + f]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (!(max > min)) continue;
        const s = min + random() * (max - min);
        let mid = lo;
        for (let i = lo; i < hi; i++) {
          if (data[sample[i]! * cols + f]! < s) {
            const tmp = sample[i]!;
            sample[i] = sample[mid]!;
            sample[mid] = tmp;
            mid++;
          }
        }
        feature[id] = f;
        split[id] = s;
        left[id] = grow(lo, mid, depth + 1);
        right[id] = grow(mid, hi, depth + 1);
        return id;
      }
      return id;
    };
    grow(0, psi, 0);
    for (let r = 0; r < rows; r++) {
      let node = 0;
      let depth = 0;
      while (feature[node]! >= 0) {
        node = data[r * cols + feature[node]!]! < split[node]! ? left[node]! : right[node]!;
        depth++;
      }
      pathSum[r]! += depth + averagePathLength(size[node]!);
    }
  }
  const cn = averagePathLength(psi);
  for (let r = 0; r < rows; r++) scores[r] = cn > 0 ? 2 ** (-(pathSum[r]! / trees) / cn) : 0.5;
  return scores;
}

/**
 * Features of trailing windows of one series, for {@link isolationForest}: for each point i (from
 * `window − 1` on) the row [x_i − mean, std, x_i − x_{i−1}, max − min] of the window x_{i−w+1..i},
 * each column divided by its median absolute value over the series so no feature dominates the
 * random split ranges. Rows before the first full window are omitted: row r is point r + window − 1.
 * Cost O(n·w).
 */
export function windowFeatures(values: ArrayLike<number>, window: number): FeatureMatrix {
  const n = values.length;
  const w = Math.max(2, Math.floor(window));
  const rows = Math.max(0, n - w + 1);
  const cols = 4;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const end = r + w - 1;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = r; i <= end; i++) {
      const v = values[i]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / w;
    let ss = 0;
    for (let i = r; i <= end; i++) ss += (values[i]! - mean) ** 2;
    const x = values[end]!;
    data[r * cols] = x - mean;
    data[r * cols + 1] = Math.sqrt(ss / (w - 1));
    data[r * cols + 2] = x - values[end - 1]!;
    data[r * cols + 3] = max - min;
  }
  for (let c = 0; c < cols; c++) {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = Math.abs(data[r * cols + c]!);
    col.sort();
    const s = col[rows >> 1] ?? 0;
    if (s > 0) for (let r = 0; r < rows; r++) data[r * cols + c]! /= s;
  }
  return { data, rows, cols };
}
