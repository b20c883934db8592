import { EngineError } from '../../errors.ts';
import type { FeatureValue, TabularRow } from '../learn/types.ts';
import { forecastFeatureCatalogue } from './catalogue.ts';
import type { SeriesGranularity } from './count-series.ts';

/** The column of each forecast row holding the period's own count (the target). */
export const forecastTargetColumn = 'incident_count';

/** Rolling window of `rolling_mean_7` and `rolling_std_7`, in periods. */
const rollingWindow = 7;

/**
 * Periods of history a feature needs before its value exists: `lag_k` k, the rolling ones
 * {@link rollingWindow}, calendar ones none.
 */
function historyNeeded(feature: string): number {
  const lag = /^lag_(\d+)$/.exec(feature);
  if (lag) return Number(lag[1]);
  if (feature.startsWith('rolling_')) return rollingWindow;
  return 0;
}

/**
 * Lag, rolling and calendar rows of a count series, for the tree and network forecasters: row t
 * holds the features of period t, computed from the counts of periods before t only (never t
 * itself or later), and the count of period t under {@link forecastTargetColumn} (null when it is
 * not a finite number). A feature whose history is not there yet is null; `firstUsable` is the
 * first row where every feature has its history (rows before it are for nothing but display).
 *
 * The recursive multi-step forecast uses the same function: append the next period's timestamp
 * with any value (NaN), read the last row, predict it, put the prediction in place of the NaN and
 * repeat. Calendar features read the period start in UTC. `rolling_std_7` is the sample standard
 * deviation (n − 1), as pandas' `rolling(7).std()`. Cost: O(periods × features).
 *
 * @throws EngineError VALIDATION_ERROR for timestamps and values of different lengths, an unknown
 *   granularity, or a feature not in the forecast catalogue (naming each).
 */
export function forecastRows(
  series: { readonly timestamps: readonly number[]; readonly values: readonly number[] },
  granularity: SeriesGranularity,
  features: readonly string[],
): { rows: TabularRow[]; firstUsable: number } {
  const { timestamps, values } = series;
  if (timestamps.length !== values.length) {
    throw new EngineError('VALIDATION_ERROR', 'a series needs as many values as timestamps', {
      errors: [{ field: 'values', message: `${values.length} values for ${timestamps.length} timestamps` }],
    });
  }
  if (granularity !== 'hour' && granularity !== 'day') {
    throw new EngineError('VALIDATION_ERROR', `granularity must be hour or day, not ${String(granularity)}`, {
      errors: [{ field: 'granularity', message: 'must be hour or day' }],
    });
  }
  const unknown = features.filter(
    (name) => !forecastFeatureCatalogue.some((feature) => feature.name === name),
  );
  if (unknown.length > 0) {
    throw new EngineError('VALIDATION_ERROR', `unknown forecast features: ${unknown.join(', ')}`, {
      errors: unknown.map((name) => ({
        field: 'features',
        message: `unknown feature ${JSON.stringify(name)}`,
      })),
      known_features: forecastFeatureCatalogue.map((feature) => feature.name),
    });
  }
  const firstUsable = Math.min(timestamps.length, Math.max(0, ...features.map(historyNeeded)));
  const rows: TabularRow[] = [];
  for (let t = 0; t < timestamps.length; t++) {
    const row: Record<string, FeatureValue> = {};
    for (const feature of features) row[feature] = featureAt(feature, t, timestamps, values);
    const own = values[t];
    row[forecastTargetColumn] = own !== undefined && Number.isFinite(own) ? own : null;
    rows.push(row);
  }
  return { rows, firstUsable };
}

/** The value of `feature` for period t, reading `values` before t only. */
function featureAt(
  feature: string,
  t: number,
  timestamps: readonly number[],
  values: readonly number[],
): FeatureValue {
  const lag = /^lag_(\d+)$/.exec(feature);
  if (lag) {
    const k = Number(lag[1]);
    return t - k >= 0 ? finiteOrNull(values[t - k]) : null;
  }
  if (feature === 'rolling_mean_7' || feature === 'rolling_std_7') {
    if (t < rollingWindow) return null;
    const window = values.slice(t - rollingWindow, t);
    if (!window.every((value) => Number.isFinite(value))) return null;
    const mean = window.reduce((sum, value) => sum + value, 0) / rollingWindow;
    if (feature === 'rolling_mean_7') return mean;
    const squares = window.reduce((sum, value) => sum + (value - mean) ** 2, 0);
    return Math.sqrt(squares / (rollingWindow - 1));
  }
  const at = new Date(timestamps[t] as number);
  switch (feature) {
    case 'hour_of_day':
      return at.getUTCHours();
    case 'day_of_week':
      return (at.getUTCDay() + 6) % 7;
    case 'day_of_month':
      return at.getUTCDate();
    case 'is_weekend':
      return at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 1 : 0;
    default:
      throw new EngineError('INTERNAL', `no computation for forecast feature ${feature}`);
  }
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
