/**
 * DDSketch: a mergeable quantile sketch with relative-accuracy guarantee (Masson, Rim, Lee,
 * "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019).
 *
 * A positive value `x` falls in bin `i = ceil(log_γ x)`, i.e. in `(γ^(i−1), γ^i]`, so every value
 * of a bin is within relative error `γ − 1` of every other. Each bin also keeps the exact smallest
 * and largest value it holds, and a quantile is answered with one of them rather than the paper's
 * bin midpoint: the answer is then a value of the data, which keeps the rank error at zero for
 * data with ties (durations rounded to whole minutes) where a midpoint falls between two data
 * values and misses a whole tie group. Values below
 * {@link minIndexableValue} (zero durations) share the {@link zeroBin}. Merging adds counts bin by
 * bin, so hourly sketches stored in DuckDB combine into any window exactly. Insertion is O(1); a
 * quantile is O(bins · log bins) for the sort. The same bin formula runs in SQL
 * (`ceil(ln(x) / ln(γ))`) when rollups are built in bulk.
 */

/** Bin growth factor of the engine's sketches. */
export const sketchGamma = 1.008;
/** Worst relative error of a sketch quantile: 0.8%. */
export const sketchRelativeError = sketchGamma - 1;
/** Values below this (seconds, percent, ...) are counted in the zero bin. */
export const minIndexableValue = 1e-9;
/** The bin that holds zeros (and values below {@link minIndexableValue}). */
export const zeroBin = -2_000_000_000;

/** Bin index of a non-negative value `x`. Negative values are clamped to the zero bin. */
export function sketchBin(x: number, gamma = sketchGamma): number {
  if (!(x >= minIndexableValue)) return zeroBin;
  return Math.ceil(Math.log(x) / Math.log(gamma));
}

/** The upper edge `γ^i` of bin `i` (0 for the zero bin). */
export function binValue(bin: number, gamma = sketchGamma): number {
  if (bin === zeroBin) return 0;
  return gamma ** bin;
}

/** What a sketch keeps per bin: the count and the exact extremes of the values in it. */
export interface BinStats {
  n: number;
  min: number;
  max: number;
}

/** A sketch as bin → stats. Plain data, so it can be stored, merged and sent to workers. */
export type Sketch = Map<number, BinStats>;

/** Adds one bin's stats into a sketch. */
export function addBin(sketch: Sketch, bin: number, stats: BinStats): void {
  const current = sketch.get(bin);
  if (!current) sketch.set(bin, { ...stats });
  else {
    current.n += stats.n;
    current.min = Math.min(current.min, stats.min);
    current.max = Math.max(current.max, stats.max);
  }
}

/** Builds a sketch of `values` (NaN values are skipped). */
export function sketchOf(values: ArrayLike<number>, gamma = sketchGamma): Sketch {
  const sketch: Sketch = new Map();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    addBin(sketch, sketchBin(v, gamma), { n: 1, min: v, max: v });
  }
  return sketch;
}

/** Adds `from`'s bins into `into` (merge is exact: the result equals the sketch of both inputs). */
export function mergeInto(into: Sketch, from: Sketch): Sketch {
  for (const [bin, stats] of from) addBin(into, bin, stats);
  return into;
}

/**
 * The `q`-quantile (0 ≤ q ≤ 1) of the values the sketch holds; `null` for an empty sketch. Finds
 * the bin holding rank `round(q · (n − 1))` and answers with that bin's smallest or largest value,
 * whichever is nearer in rank. The answer is a value of the data, within relative error
 * {@link sketchRelativeError} of the exact one, and its rank error is at most half the bin's share
 * of the data (zero when the bin holds a single distinct value, as with tied durations).
 */
export function sketchQuantile(sketch: Sketch, q: number): number | null {
  let total = 0;
  for (const b of sketch.values()) total += b.n;
  if (total === 0) return null;
  const rank = Math.round(Math.min(Math.max(q, 0), 1) * (total - 1));
  const bins = [...sketch.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const bin of bins) {
    const b = sketch.get(bin) as BinStats;
    if (seen + b.n > rank) return rank - seen < b.n / 2 ? b.min : b.max;
    seen += b.n;
  }
  return (sketch.get(bins[bins.length - 1] as number) as BinStats).max;
}
