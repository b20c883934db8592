/**
 * The standalone detector library's vocabulary: series in, options, detections out, and the list of
 * detectors. A leaf: it imports nothing of the detectors, so every `detect-*.ts` file can depend on it
 * without an import cycle.
 */
import type { AnomalyType } from '../../schema/enums.ts';

/** One series to examine: a key, ascending epoch-millisecond timestamps and values of equal length. */
export interface SeriesInput {
  /** Caller's name for the series (e.g. `incident_count:service=checkout:hour`); copied to detections. */
  readonly key: string;
  /** Epoch milliseconds, ascending. */
  readonly timestamps: ArrayLike<number>;
  /** Observed values; NaN marks a missing point. */
  readonly values: ArrayLike<number>;
}

/**
 * The detectors, each with the spec's anomaly family it reports: the one list of detector names.
 * Everything else keyed by detector (the runners in `detect-methods.ts`, option validation, the
 * public {@link detectorMethods}) derives from it or is checked against it by the compiler, so a new
 * detector is added here and in its runner, nowhere else.
 */
export const detectorFamilies = {
  robust_z: 'STATISTICAL',
  gesd: 'STATISTICAL',
  seasonal_esd: 'TEMPORAL',
  cusum: 'PATTERN',
  isolation_forest: 'PATTERN',
  threshold: 'THRESHOLD',
  dynamic_threshold: 'THRESHOLD',
} as const satisfies Record<string, AnomalyType>;

/** The detectors `detectSeriesAnomalies` can run. */
export type DetectorMethod = keyof typeof detectorFamilies;

/** Every {@link DetectorMethod}, in a stable order. */
export const detectorMethods: readonly DetectorMethod[] = Object.keys(detectorFamilies) as DetectorMethod[];

/** Options of `detectSeriesAnomalies`. Every field is optional; defaults are documented per field. */
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
  /** Points after an alarm during which new alarms of the same detector are folded into it; default 0. */
  readonly suppressionPoints?: number;
  /**
   * Alarm budget applied to the merged detections of the series (see {@link AlarmBudget}); `false`
   * turns it off. Default: on with the {@link AlarmBudget} defaults when `methods` is absent (the
   * default profile), off when `methods` is given.
   */
  readonly alarmBudget?: AlarmBudget | false;
}

/**
 * Bounds how many anomalies one series reports: detections are ranked by magnitude (the distance
 * between observed and expected value at the peak, times the square root of the flagged points) and
 * kept from the largest down, at most one per `pointsPerAlarm` points of the series (at least one),
 * none within six hours of a stronger one (that is the same event), and none whose magnitude is below
 * `relativeScore` times the largest. A series full of similar flags reports its strongest event; an
 * isolated extreme survives. The magnitude is in the series' own unit and compared only within it.
 */
export interface AlarmBudget {
  /** Points of the series per allowed alarm; default 2,000 (≈ one a week of five-minute data). */
  readonly pointsPerAlarm?: number;
  /** Share of the largest magnitude a detection must reach, in [0, 1]; default 0.4. */
  readonly relativeScore?: number;
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
