import type { FitInput } from './models.ts';
import type { ForecastAlgorithm, ForecastFallback, RawForecast } from './types.ts';

/** Fits one algorithm with its check and fallback (see `guardedFit`). */
type FitOne = (
  algorithm: ForecastAlgorithm,
  input: FitInput,
) => { forecast: RawForecast; fallback?: ForecastFallback };

/** The mean of several forecasts, point by point and bound by bound. */
function ensembleOf(forecasts: readonly RawForecast[]): RawForecast {
  const horizon = forecasts[0]!.point.length;
  const at = (pick: (f: RawForecast) => number[]): number[] =>
    Array.from(
      { length: horizon },
      (_, h) => forecasts.reduce((s, f) => s + pick(f)[h]!, 0) / forecasts.length,
    );
  return { point: at((f) => f.point), lower: at((f) => f.lower), upper: at((f) => f.upper) };
}

/** The members of the default ENSEMBLE, with equal weights. */
const ensembleMembers: readonly ForecastAlgorithm[] = ['PROPHET', 'MSTL_ETS', 'SEASONAL_NAIVE'];

/**
 * The default rule: the ENSEMBLE, the equal-weight mean of PROPHET, MSTL_ETS and SEASONAL_NAIVE
 * (points and bounds alike). Each member is checked on its own; a member that fails its check is
 * replaced by seasonal naive and the first such fallback is reported. Chosen on the rolling-origin
 * benchmark (bench/RESULTS.md, "Forecast kernel"): it was the one candidate rule that beat seasonal
 * naive on every series, where validation on the series' own tail picked noisily and lost to it.
 */
export function fitEnsemble(
  input: FitInput,
  fitOne: FitOne,
): { forecast: RawForecast; fallback?: ForecastFallback } {
  const fits = ensembleMembers.map((a) => fitOne(a, input));
  const fallback = fits.find((f) => f.fallback)?.fallback;
  return { forecast: ensembleOf(fits.map((f) => f.forecast)), ...(fallback ? { fallback } : {}) };
}
