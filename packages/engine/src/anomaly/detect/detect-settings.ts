import { EngineError } from '../../errors.ts';
import { type DetectOptions, type DetectorMethod, detectorMethods } from './detect-types.ts';

/** Every knob of the detectors after defaults and sensitivity are applied. */
export interface ResolvedSettings {
  readonly alpha: number;
  readonly maxAnomalyFraction: number;
  /** |robust z| above which a point is flagged (robust z, dynamic threshold band half-width). */
  readonly zThreshold: number;
  /** Smallest robust z a seasonal-ESD outlier must also reach (keeps heavy-tailed noise quiet). */
  readonly esdMinScore: number;
  /** Per-point risk of the peaks-over-threshold level a seasonal-ESD outlier must pass. */
  readonly tailRisk: number;
  /** CUSUM allowance and decision interval, in σ units. */
  readonly cusumDrift: number;
  readonly cusumThreshold: number;
  /** Isolation-forest score above which a window is flagged. */
  readonly forestThreshold: number;
  readonly minHits: number;
  readonly suppressionPoints: number;
}

const bySensitivity = {
  low: { alpha: 0.001, z: 4.5, cusumH: 14, forest: 0.7, esdMin: 8, risk: 1e-4 },
  medium: { alpha: 0.01, z: 3.5, cusumH: 10, forest: 0.65, esdMin: 6, risk: 1e-3 },
  high: { alpha: 0.05, z: 3, cusumH: 7, forest: 0.6, esdMin: 4.5, risk: 1e-2 },
} as const;

/**
 * Applies defaults and checks ranges.
 *
 * @throws EngineError VALIDATION_ERROR naming the offending option.
 */
export function resolveSettings(options: DetectOptions): ResolvedSettings {
  const s = bySensitivity[options.sensitivity ?? 'medium'];
  if (!s) invalid('sensitivity', options.sensitivity, "one of 'low', 'medium', 'high'");
  const alpha = options.alpha ?? s.alpha;
  if (!(alpha > 0 && alpha < 1)) invalid('alpha', alpha, 'a number in (0, 1)');
  const maxAnomalyFraction = options.maxAnomalyFraction ?? 0.02;
  if (!(maxAnomalyFraction > 0 && maxAnomalyFraction <= 0.5)) {
    invalid('maxAnomalyFraction', maxAnomalyFraction, 'a number in (0, 0.5]');
  }
  const minHits = options.minHits ?? 1;
  if (!(Number.isInteger(minHits) && minHits >= 1)) invalid('minHits', minHits, 'an integer ≥ 1');
  const suppressionPoints = options.suppressionPoints ?? 0;
  if (!(Number.isInteger(suppressionPoints) && suppressionPoints >= 0)) {
    invalid('suppressionPoints', suppressionPoints, 'an integer ≥ 0');
  }
  for (const p of options.seasonalPeriods ?? []) {
    if (!(Number.isInteger(p) && p >= 2)) invalid('seasonalPeriods', p, 'integers ≥ 2 (points per cycle)');
  }
  const b = options.alarmBudget;
  if (b) {
    if (b.pointsPerAlarm !== undefined && !(b.pointsPerAlarm >= 1)) {
      invalid('alarmBudget.pointsPerAlarm', b.pointsPerAlarm, 'a number ≥ 1');
    }
    if (b.relativeScore !== undefined && !(b.relativeScore >= 0 && b.relativeScore <= 1)) {
      invalid('alarmBudget.relativeScore', b.relativeScore, 'a number in [0, 1]');
    }
  }
  const t = options.thresholds;
  if (t?.lower !== undefined && t.upper !== undefined && !(t.lower <= t.upper)) {
    invalid('thresholds', t, 'lower ≤ upper');
  }
  for (const m of options.methods ?? [])
    if (!methodSet.has(m)) invalid('methods', m, [...methodSet].join(', '));
  return {
    alpha,
    maxAnomalyFraction,
    zThreshold: s.z,
    esdMinScore: s.esdMin,
    tailRisk: s.risk,
    cusumDrift: 0.5,
    cusumThreshold: s.cusumH,
    forestThreshold: s.forest,
    minHits,
    suppressionPoints,
  };
}

const methodSet = new Set<DetectorMethod>(detectorMethods);

function invalid(option: string, value: unknown, expected: string): never {
  throw new EngineError('VALIDATION_ERROR', `detect option ${option} must be ${expected}`, { option, value });
}

const dayMs = 86_400_000;

/**
 * Candidate seasonal periods in points from the median spacing of the timestamps: a day and a week
 * when the spacing divides a day into at least 2 points (hourly data → 24 and 168, five-minute data
 * → 288 and 2,016, daily data → 7), keeping those with at least three full cycles in the series (two
 * cycles leave each phase of a seasonal component resting on two points).
 */
export function inferPeriods(timestamps: ArrayLike<number>): number[] {
  const n = timestamps.length;
  if (n < 8) return [];
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = timestamps[i]! - timestamps[i - 1]!;
  gaps.sort();
  const spacing = gaps[(n - 1) >> 1]!;
  if (!(spacing > 0)) return [];
  const out: number[] = [];
  const perDay = dayMs / spacing;
  if (perDay >= 2 && Math.abs(perDay - Math.round(perDay)) < 0.01) out.push(Math.round(perDay));
  const perWeek = (7 * dayMs) / spacing;
  if (perWeek >= 2 && Math.abs(perWeek - Math.round(perWeek)) < 0.01) out.push(Math.round(perWeek));
  return out.filter((p) => 3 * p <= n);
}
