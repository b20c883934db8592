/**
 * DDSketch: a mergeable quantile sketch with relative-accuracy guarantee (Masson, Rim, Lee,
 * "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019).
 *
 * A positive value `x` falls in bin `i = ceil(log_γ x)` with `γ = (1 + α) / (1 − α)`; the bin's
 * representative `2γ^i / (γ + 1)` is within relative error `α` of every value in the bin. Values
 * below {@link minIndexableValue} (zero durations) share the {@link zeroBin}. Merging two sketches
 * adds counts bin by bin, so hourly sketches stored in DuckDB combine into any window. Insertion
 * is O(1); a quantile is O(bins · log bins) for the sort. The same bin formula runs in SQL
 * (`ceil(ln(x) / ln(γ))`) when rollups are built in bulk.
 */

/** Relative accuracy of the engine's sketches: 0.5%. */
export const sketchAlpha = 0.005;
/** `γ` for {@link sketchAlpha}. */
export const sketchGamma = (1 + sketchAlpha) / (1 - sketchAlpha);
/** Values below this (seconds, percent, ...) are counted in the zero bin. */
export const minIndexableValue = 1e-9;
/** The bin that holds zeros (and values below {@link minIndexableValue}). */
export const zeroBin = -2_000_000_000;

/** Bin index of a non-negative value `x`. Negative values are clamped to the zero bin. */
export function sketchBin(x: number, gamma = sketchGamma): number {
  if (!(x >= minIndexableValue)) return zeroBin;
  return Math.ceil(Math.log(x) / Math.log(gamma));
}

/** Representative value of bin `i` (the point with equal relative error to both bin edges). */
export function binValue(bin: number, gamma = sketchGamma): number {
  if (bin === zeroBin) return 0;
  return (2 * gamma ** bin) / (gamma + 1);
}

/** A sketch as bin → count. Plain data, so it can be stored, merged and sent to workers. */
export type Sketch = Map<number, number>;

/** Builds a sketch of `values` (NaN values are skipped). */
export function sketchOf(values: ArrayLike<number>, gamma = sketchGamma): Sketch {
  const sketch: Sketch = new Map();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    const bin = sketchBin(v, gamma);
    sketch.set(bin, (sketch.get(bin) ?? 0) + 1);
  }
  return sketch;
}

/** Adds `from`'s counts into `into` (merge is exact: the result equals the sketch of both inputs). */
export function mergeInto(into: Sketch, from: Sketch): Sketch {
  for (const [bin, n] of from) into.set(bin, (into.get(bin) ?? 0) + n);
  return into;
}

/**
 * The `q`-quantile (0 ≤ q ≤ 1) of the values the sketch holds, within relative error α of the
 * exact lower quantile; `null` for an empty sketch. Uses the rank `q · (n − 1)` like
 * `quantile_cont`, rounded to the nearest whole rank.
 */
export function sketchQuantile(sketch: Sketch, q: number, gamma = sketchGamma): number | null {
  let total = 0;
  for (const n of sketch.values()) total += n;
  if (total === 0) return null;
  const rank = Math.round(Math.min(Math.max(q, 0), 1) * (total - 1));
  const bins = [...sketch.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const bin of bins) {
    seen += sketch.get(bin) ?? 0;
    if (seen > rank) return binValue(bin, gamma);
  }
  return binValue(bins[bins.length - 1] as number, gamma);
}
