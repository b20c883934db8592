import { regularizedGammaQ } from './special-functions.ts';

/** Result of {@link chiSquareHomogeneity}. */
export interface ChiSquareResult {
  /** Pearson's X² = Σ (O − E)² / E. */
  readonly statistic: number;
  /** Degrees of freedom (r − 1)(c − 1) over the rows and columns that are not all zero. */
  readonly dof: number;
  /** P(χ²_dof ≥ X²) = Q(dof/2, X²/2), the regularised upper incomplete gamma. */
  readonly pValue: number;
  /** Expected counts under homogeneity, same shape as the table. */
  readonly expected: number[][];
}

/**
 * Pearson's chi-square test of homogeneity (equivalently independence) on an r × c table of counts:
 * rows are samples (for example a baseline and a recent period), columns are categories (for example
 * severities). No Yates correction (as `scipy.stats.chi2_contingency(..., correction=False)`).
 * Rows or columns that sum to zero carry no information and are dropped from the degrees of freedom.
 * Cost O(r·c).
 *
 * @throws RangeError when the table is ragged, has a negative or non-finite count, or fewer than two
 * non-empty rows or columns.
 */
export function chiSquareHomogeneity(table: readonly (readonly number[])[]): ChiSquareResult {
  const r = table.length;
  const c = table[0]?.length ?? 0;
  const rowSums = new Float64Array(r);
  const colSums = new Float64Array(c);
  let total = 0;
  for (let i = 0; i < r; i++) {
    const row = table[i]!;
    if (row.length !== c)
      throw new RangeError('chiSquareHomogeneity: every row needs the same number of columns');
    for (let j = 0; j < c; j++) {
      const o = row[j]!;
      if (!(o >= 0) || !Number.isFinite(o))
        throw new RangeError('chiSquareHomogeneity: counts must be finite and ≥ 0');
      rowSums[i]! += o;
      colSums[j]! += o;
      total += o;
    }
  }
  const liveRows = rowSums.filter((s) => s > 0).length;
  const liveCols = colSums.filter((s) => s > 0).length;
  if (liveRows < 2 || liveCols < 2) {
    throw new RangeError('chiSquareHomogeneity: need at least two non-empty rows and two non-empty columns');
  }
  let statistic = 0;
  const expected = table.map((row, i) =>
    row.map((o, j) => {
      const e = (rowSums[i]! * colSums[j]!) / total;
      if (e > 0) statistic += ((o - e) * (o - e)) / e;
      return e;
    }),
  );
  const dof = (liveRows - 1) * (liveCols - 1);
  return { statistic, dof, pValue: regularizedGammaQ(dof / 2, statistic / 2), expected };
}
