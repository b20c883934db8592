import { EngineError } from '../errors.ts';
import type { ForecastOptions, ForecastSeries } from './types.ts';

/** A validated series on a regular grid. */
export interface RegularSeries {
  /** Timestamp of the first value, ms. */
  start: number;
  stepMs: number;
  values: number[];
  filledGaps: number;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** The longest regular grid accepted, so that a stray timestamp cannot ask for a huge fill. */
const maxSeriesLength = 200_000;
/** The shortest history accepted without any season. */
const minHistory = 8;
const maxHorizon = 10_000;

function invalid(message: string, details?: unknown): EngineError {
  return new EngineError('VALIDATION_ERROR', message, details);
}

/**
 * Checks a series and puts it on its regular grid. The step is the smallest difference between
 * consecutive timestamps; every difference must be a whole multiple of it. A difference of k steps
 * is k − 1 missing steps: filled with 0 under `gaps: 'zero'`, refused under `gaps: 'refuse'`.
 * Throws VALIDATION_ERROR for unequal lengths, non-finite or negative values, timestamps that are
 * not strictly increasing or not on one step.
 */
export function toRegularSeries(
  series: ForecastSeries,
  gaps: ForecastOptions['gaps'] = 'zero',
): RegularSeries {
  const { timestamps, values } = series;
  if (timestamps.length !== values.length) {
    throw invalid(`timestamps and values differ in length (${timestamps.length} and ${values.length})`);
  }
  if (timestamps.length < 2)
    throw invalid(`a forecast needs at least ${minHistory} values, got ${timestamps.length}`);
  let step = Number.POSITIVE_INFINITY;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    const v = values[i]!;
    if (!Number.isFinite(t)) throw invalid(`timestamp ${i} is not a finite number`, { index: i });
    if (!Number.isFinite(v) || v < 0) {
      throw invalid(`value ${i} is ${v}: counts must be finite and non-negative`, { index: i });
    }
    if (i > 0) {
      const d = t - timestamps[i - 1]!;
      if (d <= 0) {
        throw invalid(`timestamps must be strictly increasing: ${i} is not after ${i - 1}`, { index: i });
      }
      step = Math.min(step, d);
    }
  }
  const start = timestamps[0]!;
  const span = timestamps[timestamps.length - 1]! - start;
  const length = Math.round(span / step) + 1;
  if (length > maxSeriesLength) {
    throw invalid(`the series spans ${length} steps of ${step} ms; at most ${maxSeriesLength} are accepted`);
  }
  const regular = new Array<number>(length).fill(0);
  for (let i = 0; i < timestamps.length; i++) {
    const k = (timestamps[i]! - start) / step;
    const slot = Math.round(k);
    if (Math.abs(k - slot) > 1e-9 * Math.max(1, k)) {
      throw invalid(
        `timestamps are irregular: timestamp ${i} is not a whole number of steps (${step} ms) after the first`,
        { index: i, stepMs: step },
      );
    }
    regular[slot] = values[i]!;
  }
  const filledGaps = length - timestamps.length;
  if (filledGaps > 0 && gaps === 'refuse') {
    throw invalid(`the series has ${filledGaps} missing steps of ${step} ms and gaps are refused`, {
      filledGaps,
    });
  }
  return { start, stepMs: step, values: regular, filledGaps };
}

/** The default seasonal periods of a step: a week for days, a day and a week for hours, else none. */
function defaultPeriods(stepMs: number): number[] {
  if (stepMs === dayMs) return [7];
  if (stepMs === hourMs) return [24, 168];
  return [];
}

/**
 * The seasonal periods to use, checked against the history: every period must be a whole number
 * ≥ 2 that the history covers at least twice. Default periods the history does not cover twice are
 * dropped; explicit ones are refused with VALIDATION_ERROR. The result is sorted ascending.
 */
export function seasonalPeriodsFor(length: number, stepMs: number, asked?: readonly number[]): number[] {
  if (asked === undefined) return defaultPeriods(stepMs).filter((p) => length >= 2 * p);
  for (const p of asked) {
    if (!Number.isInteger(p) || p < 2)
      throw invalid(`seasonal period ${p} must be a whole number of steps ≥ 2`);
    if (length < 2 * p) {
      throw invalid(
        `a history of ${length} steps is too short for a season of ${p}: it needs at least ${2 * p}`,
        {
          length,
          period: p,
        },
      );
    }
  }
  return [...new Set(asked)].sort((a, b) => a - b);
}

/** Checks the scalar options; throws VALIDATION_ERROR naming the bad one. */
export function checkOptions(options: ForecastOptions, length: number): { horizon: number; level: number } {
  const { horizon, level = 0.95 } = options;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > maxHorizon) {
    throw invalid(`horizon must be a whole number from 1 to ${maxHorizon}, got ${horizon}`);
  }
  if (!(level > 0 && level < 1)) throw invalid(`level must be strictly between 0 and 1, got ${level}`);
  if (length < minHistory) throw invalid(`a forecast needs at least ${minHistory} values, got ${length}`);
  return { horizon, level };
}
