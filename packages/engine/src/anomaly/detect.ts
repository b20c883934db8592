import { EngineError } from '../errors.ts';
import type { AnomalyType } from '../schema/enums.ts';
import { robustZScores } from './kernels/robust-z.ts';

/** One series to examine: a key, ascending epoch-millisecond timestamps and values of equal length. */
export interface SeriesInput {
  /** Caller's name for the series (e.g. `incident_count:service=checkout:hour`); copied to detections. */
  readonly key: string;
  /** Epoch milliseconds, ascending. */
  readonly timestamps: ArrayLike<number>;
  /** Observed values; NaN marks a missing point. */
  readonly values: ArrayLike<number>;
}

/** The detectors {@link detectSeriesAnomalies} can run. */
export type DetectorMethod =
  | 'robust_z'
  | 'gesd'
  | 'seasonal_esd'
  | 'cusum'
  | 'isolation_forest'
  | 'threshold'
  | 'dynamic_threshold';

/** Every {@link DetectorMethod}, in a stable order. */
export const detectorMethods: readonly DetectorMethod[] = [
  'robust_z',
  'gesd',
  'seasonal_esd',
  'cusum',
  'isolation_forest',
  'threshold',
  'dynamic_threshold',
];

/** Options of {@link detectSeriesAnomalies}. Every field is optional; defaults are documented per field. */
export interface DetectOptions {
  /** Detectors to run; default: seasonal ESD when a period is detectable (robust z otherwise) plus CUSUM. */
  readonly methods?: readonly DetectorMethod[];
  /** Seasonal periods in points; inferred from the timestamp spacing (daily, weekly) when absent. */
  readonly seasonalPeriods?: readonly number[];
  /** Significance level of the ESD tests; default from `sensitivity` (0.001 / 0.01 / 0.05). */
  readonly alpha?: number;
  /** Upper bound on the share of points ESD may call anomalous; default 0.02. */
  readonly maxAnomalyFraction?: number;
  /** Scales every detector's threshold; default `'medium'`. */
  readonly sensitivity?: 'low' | 'medium' | 'high';
  /** Static bounds for the `threshold` method (either may be absent). */
  readonly thresholds?: { readonly lower?: number; readonly upper?: number };
  /** Minimum flagged points within one merged alarm for it to be reported; default 1. */
  readonly minHits?: number;
  /** Points after an alarm during which new alarms of the same series are suppressed; default 0. */
  readonly suppressionPoints?: number;
}

/** One anomaly: a merged window of flagged points of one series by one detector. */
export interface Detection {
  /** {@link SeriesInput.key} of the series. */
  readonly seriesKey: string;
  /** Detector that produced it. */
  readonly method: DetectorMethod;
  /** The spec's anomaly family of the detector. */
  readonly anomalyType: AnomalyType;
  /** First flagged timestamp (epoch ms, inclusive). */
  readonly start: number;
  /** Last flagged timestamp (epoch ms, inclusive). */
  readonly end: number;
  /** Timestamp of the most anomalous point (epoch ms). */
  readonly peakTimestamp: number;
  /** Observed value at the peak. */
  readonly observed: number;
  /** Expected value at the peak (median, seasonal fit, baseline level, ...). */
  readonly expected: number;
  /** Lower edge of the normal band at the peak, in the series' unit. */
  readonly lower: number;
  /** Upper edge of the normal band at the peak, in the series' unit. */
  readonly upper: number;
  /** anomaly_score: larger is more anomalous (robust z units for statistical detectors). */
  readonly score: number;
  /** p-value of the peak under the detector's null hypothesis, where it has one. */
  readonly pValue?: number;
  /** Confidence in [0, 1] that this is a real anomaly (1 − p-value, or a calibrated score). */
  readonly confidence: number;
  /** threshold_used: the score the peak had to exceed. */
  readonly threshold: number;
  /** Number of flagged points merged into this detection. */
  readonly pointCount: number;
}

/**
 * Runs the chosen detectors over one series and returns its anomalies, post-processed (overlapping
 * windows merged, suppression window, minimum hits). Pure: no I/O, no clock.
 *
 * @throws EngineError VALIDATION_ERROR when timestamps and values differ in length or are not ascending.
 */
export function detectSeriesAnomalies(series: SeriesInput, options: DetectOptions = {}): Detection[] {
  const n = series.values.length;
  if (series.timestamps.length !== n) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `series ${series.key}: timestamps and values differ in length`,
      {
        key: series.key,
      },
    );
  }
  const out: Detection[] = [];
  const methods = options.methods ?? ['robust_z'];
  if (methods.includes('robust_z')) {
    const { center, scale, scores } = robustZScores(series.values);
    for (let i = 0; i < n; i++) {
      const z = Math.abs(scores[i]!);
      if (z > 3.5) {
        const t = series.timestamps[i]!;
        out.push({
          seriesKey: series.key,
          method: 'robust_z',
          anomalyType: 'STATISTICAL',
          start: t,
          end: t,
          peakTimestamp: t,
          observed: series.values[i]!,
          expected: center,
          lower: center - 3.5 * scale,
          upper: center + 3.5 * scale,
          score: z,
          confidence: Math.min(1, z / 7),
          threshold: 3.5,
          pointCount: 1,
        });
      }
    }
  }
  return out;
}
