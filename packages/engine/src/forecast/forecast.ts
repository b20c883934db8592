import { EngineError } from '../errors.ts';
import { fitArima } from './arima.ts';
import { checkForecast } from './guard.ts';
import { type FitInput, fitMstlEts, fitProphet } from './models.ts';
import { naivePeriod, seasonalNaive } from './seasonal-naive.ts';
import { fitEnsemble } from './select.ts';
import { checkOptions, seasonalPeriodsFor, toRegularSeries } from './series.ts';
import type {
  ForecastAlgorithm,
  ForecastFallback,
  ForecastOptions,
  ForecastResult,
  ForecastSeries,
  RawForecast,
} from './types.ts';
import { type Augurs, loadAugurs } from './wasm.ts';

/** Fits one named algorithm (throws when the library fails). */
function fitAlgorithm(algorithm: ForecastAlgorithm, augurs: Augurs, input: FitInput): RawForecast {
  switch (algorithm) {
    case 'PROPHET':
      return fitProphet(augurs, input);
    case 'MSTL_ETS':
      return fitMstlEts(augurs, input);
    case 'ARIMA':
      return fitArima(input);
    case 'SEASONAL_NAIVE':
      return seasonalNaive(input.values, naivePeriod(input.periods), input.horizon, input.level);
  }
}

/** A checked fit: the forecast, or seasonal naive's with the reason the fit was not trusted. */
export interface GuardedFit {
  forecast: RawForecast;
  fallback?: ForecastFallback;
}

/**
 * Runs `fit` and checks its forecast with `checkForecast`; when the fit throws or fails the check,
 * answers with seasonal naive instead and records why (`fallback`).
 */
export function guardedFit(
  algorithm: ForecastAlgorithm,
  input: FitInput,
  fit: () => RawForecast,
): GuardedFit {
  let reason: string | null;
  try {
    const forecast = fit();
    reason = checkForecast(input.values, forecast, input.horizon);
    if (reason === null) return { forecast };
  } catch (error) {
    // The first line only: the WebAssembly libraries append stack traces to their messages.
    const message = error instanceof Error ? error.message : String(error);
    reason = `the fit failed: ${message.split('\n')[0]!.trim()}`;
  }
  // Seasonal naive repeats history values, so it cannot fail on a validated series.
  if (algorithm === 'SEASONAL_NAIVE') throw new EngineError('INTERNAL', `seasonal naive failed: ${reason}`);
  const forecast = seasonalNaive(input.values, naivePeriod(input.periods), input.horizon, input.level);
  return { forecast, fallback: { from: algorithm, to: 'SEASONAL_NAIVE', reason } };
}

/**
 * Forecasts a series of counts `horizon` steps ahead with a prediction interval at `level`
 * (default 0.95). The series is checked and put on its regular step first (`toRegularSeries`: the
 * step is inferred, missing steps count as 0 unless `gaps: 'refuse'`); seasonal periods default
 * from the step. Without `algorithm`, the default ENSEMBLE answers (`select.ts`). Every fit is checked
 * (finite, within the history's range widened by its width) and replaced by seasonal naive, with
 * the reason in `fallback`, when it fails. Values and bounds are clamped at 0.
 *
 * Throws EngineError VALIDATION_ERROR on bad input. Pure apart from loading the libraries'
 * WebAssembly on first use; nothing is printed.
 */
export async function forecast(series: ForecastSeries, options: ForecastOptions): Promise<ForecastResult> {
  const regular = toRegularSeries(series, options.gaps);
  const { horizon, level } = checkOptions(options, regular.values.length);
  const periods = seasonalPeriodsFor(regular.values.length, regular.stepMs, options.seasonalPeriods);
  const input: FitInput = {
    values: regular.values,
    start: regular.start,
    stepMs: regular.stepMs,
    periods,
    horizon,
    level,
  };
  const augurs =
    options.algorithm === 'SEASONAL_NAIVE' || options.algorithm === 'ARIMA' ? undefined : await loadAugurs();
  const fitOne = (algorithm: ForecastAlgorithm, fitInput: FitInput): GuardedFit =>
    guardedFit(algorithm, fitInput, () => fitAlgorithm(algorithm, augurs as Augurs, fitInput));

  const algorithm = options.algorithm ?? 'ENSEMBLE';
  const { forecast: raw, fallback } = options.algorithm
    ? fitOne(options.algorithm, input)
    : fitEnsemble(input, fitOne);
  const points = raw.point.map((value, h) => ({
    timestamp: regular.start + (regular.values.length + h) * regular.stepMs,
    value: Math.max(0, value),
    lower: Math.max(0, raw.lower[h]!),
    upper: Math.max(0, raw.upper[h]!),
  }));
  return {
    algorithm,
    points,
    level,
    stepMs: regular.stepMs,
    seasonalPeriods: periods,
    filledGaps: regular.filledGaps,
    ...(fallback ? { fallback } : {}),
  };
}
