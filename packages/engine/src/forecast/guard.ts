import type { RawForecast } from './types.ts';

/** How far outside the history's range a point forecast may go, in multiples of that range. */
const rangeFactor = 1;

/**
 * Checks a fitted forecast before it is trusted: every point and bound finite, and every point
 * within the history's range widened by {@link rangeFactor} times that range on each side
 * (range = max − min, at least 1). Returns the reason it fails, or `null` when it passes.
 */
export function checkForecast(
  history: readonly number[],
  forecast: RawForecast,
  horizon: number,
): string | null {
  const { point, lower, upper } = forecast;
  if (point.length !== horizon || lower.length !== horizon || upper.length !== horizon) {
    return `the fit returned ${point.length} points for a horizon of ${horizon}`;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of history) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const range = Math.max(max - min, 1);
  const low = min - rangeFactor * range;
  const high = max + rangeFactor * range;
  for (let h = 0; h < horizon; h++) {
    const p = point[h]!;
    if (!Number.isFinite(p) || !Number.isFinite(lower[h]!) || !Number.isFinite(upper[h]!)) {
      return `step ${h + 1} of the forecast is not finite`;
    }
    if (p < low || p > high) {
      return `step ${h + 1} forecasts ${p.toPrecision(4)}, outside the history's range [${min}, ${max}] widened by ${rangeFactor}x its width`;
    }
  }
  return null;
}
