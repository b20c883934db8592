/**
 * Feature binning: every feature value becomes one byte, its bin. A numeric feature gets at most
 * 255 bins cut at quantiles of the training values; a categorical feature one bin per category
 * (the 255 most frequent; rarer and unseen categories are treated as missing). Bin 255 holds
 * missing values. The tree learners only ever see bins; the model keeps the raw cut values and
 * category codes, so prediction needs no binner.
 */

/** The bin of a missing value (and of a category outside the binned ones). */
export const missingBin = 255;
/** Histogram slots per feature: 255 value bins and the missing bin. */
export const binSlots = 256;

/** The fitted bins: the binned matrix and what each bin stands for. */
export interface Binned {
  /** Row-major bins: row `i`, feature `j` at `bins[i * columns + j]` (a row's bins are read together). */
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly columns: number;
  /** Value bins per feature (the missing bin not counted). */
  readonly binCount: Int32Array;
  /** Numeric feature: upper edges of its bins (`x <= edges[b]` ⇔ bin ≤ b); empty for a categorical one. */
  readonly edges: readonly Float64Array[];
  /** Categorical feature: the category code of each bin; empty for a numeric one. */
  readonly codes: readonly number[][];
}

/** A point strictly between `a < b` that `a` is at or below: their midpoint, or `a` where it rounds to `b`. */
function between(a: number, b: number): number {
  const middle = a + (b - a) / 2;
  return middle < b ? middle : a;
}

/** Upper bin edges of a numeric column: midpoints between distinct values, or between quantiles when there are more than `maxBins`. */
function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const count = sorted.length;
  if (count === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < count; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const edges: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < count; i++) {
      const a = sorted[i - 1] as number;
      const b = sorted[i] as number;
      if (b !== a) edges.push(between(a, b));
    }
    return Float64Array.from(edges);
  }
  for (let k = 1; k < maxBins; k++) {
    const at = Math.floor((k * count) / maxBins);
    const a = sorted[at - 1] as number;
    const b = sorted[at] as number;
    const edge = a === b ? a : between(a, b);
    if (edge === Number.POSITIVE_INFINITY) break;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** The bin of `x` among `edges`: the first `b` with `x <= edges[b]`, or `edges.length` above them all. */
function binOf(edges: Float64Array, x: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (x <= (edges[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Fits the bins on the given (training) rows and bins them. `values` is column-major
 * (`values[j * rows + i]`); `isCategorical[j]` marks category codes. The bins come out row-major.
 */
export function fitBins(
  values: Float64Array,
  rows: number,
  columns: number,
  isCategorical: Uint8Array,
  maxBins: number,
): Binned {
  const bins = new Uint8Array(rows * columns);
  const binCount = new Int32Array(columns);
  const edges: Float64Array[] = [];
  const codes: number[][] = [];
  const present = new Float64Array(rows);
  for (let j = 0; j < columns; j++) {
    const offset = j * rows;
    if (isCategorical[j]) {
      const counts = new Map<number, number>();
      for (let i = 0; i < rows; i++) {
        const code = values[offset + i] as number;
        if (!Number.isNaN(code)) counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      const kept = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, missingBin)
        .map(([code]) => code);
      const binByCode = new Map(kept.map((code, bin) => [code, bin]));
      for (let i = 0; i < rows; i++) {
        bins[i * columns + j] = binByCode.get(values[offset + i] as number) ?? missingBin;
      }
      edges.push(new Float64Array(0));
      codes.push(kept);
      binCount[j] = kept.length;
      continue;
    }
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const x = values[offset + i] as number;
      if (!Number.isNaN(x)) present[count++] = x;
    }
    const sorted = present.slice(0, count).sort();
    const columnEdges = quantileEdges(sorted, maxBins);
    for (let i = 0; i < rows; i++) {
      const x = values[offset + i] as number;
      bins[i * columns + j] = Number.isNaN(x) ? missingBin : binOf(columnEdges, x);
    }
    edges.push(columnEdges);
    codes.push([]);
    binCount[j] = count === 0 ? 0 : columnEdges.length + 1;
  }
  return { bins, rows, columns, binCount, edges, codes };
}
