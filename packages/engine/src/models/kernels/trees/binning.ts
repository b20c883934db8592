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

/** What one feature's bins stand for: cut values (numeric) or category codes (categorical). */
export interface ColumnBins {
  /** Numeric: upper edges of the bins; categorical: empty. */
  readonly edges: Float64Array;
  /** Categorical: the code of each bin; numeric: empty. */
  readonly codes: number[];
  /** Value bins (the missing bin not counted). */
  readonly binCount: number;
}

/**
 * Fits the bins of feature `j` of the column-major `values` on all `rows` rows. `present` is
 * scratch of at least `rows` numbers.
 */
export function fitColumn(
  values: Float64Array,
  rows: number,
  j: number,
  categorical: boolean,
  maxBins: number,
  present: Float64Array,
): ColumnBins {
  const offset = j * rows;
  if (categorical) {
    const counts = new Map<number, number>();
    for (let i = 0; i < rows; i++) {
      const code = values[offset + i] as number;
      if (!Number.isNaN(code)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const codes = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, missingBin)
      .map(([code]) => code);
    return { edges: new Float64Array(0), codes, binCount: codes.length };
  }
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const x = values[offset + i] as number;
    if (!Number.isNaN(x)) present[count++] = x;
  }
  const edges = quantileEdges(present.slice(0, count).sort(), maxBins);
  return { edges, codes: [], binCount: count === 0 ? 0 : edges.length + 1 };
}

/**
 * Writes the bins of rows `from … to − 1` of every feature into the row-major `bins`, by the
 * fitted `columns` (see {@link fitColumn}).
 */
export function binRows(
  values: Float64Array,
  rows: number,
  columns: readonly ColumnBins[],
  bins: Uint8Array,
  from: number,
  to: number,
): void {
  const width = columns.length;
  columns.forEach((column, j) => {
    const offset = j * rows;
    if (column.edges.length === 0 && column.codes.length > 0) {
      const binByCode = new Map(column.codes.map((code, bin) => [code, bin]));
      for (let i = from; i < to; i++)
        bins[i * width + j] = binByCode.get(values[offset + i] as number) ?? missingBin;
      return;
    }
    const edges = column.edges;
    for (let i = from; i < to; i++) {
      const x = values[offset + i] as number;
      bins[i * width + j] = Number.isNaN(x) ? missingBin : binOf(edges, x);
    }
  });
}

/** The {@link Binned} of fitted columns and their bins. */
export function binnedOf(columns: readonly ColumnBins[], bins: Uint8Array, rows: number): Binned {
  return {
    bins,
    rows,
    columns: columns.length,
    binCount: Int32Array.from(columns, (column) => column.binCount),
    edges: columns.map((column) => column.edges),
    codes: columns.map((column) => column.codes),
  };
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
  const present = new Float64Array(rows);
  const fitted = Array.from({ length: columns }, (_, j) =>
    fitColumn(values, rows, j, isCategorical[j] === 1, maxBins, present),
  );
  const bins = new Uint8Array(rows * columns);
  binRows(values, rows, fitted, bins, 0, rows);
  return binnedOf(fitted, bins, rows);
}
