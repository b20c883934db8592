import { EngineError } from '../errors.ts';
import type { GenerationSettings } from './insight-generation.ts';

/** The insights capability's engine options (`openEngine({ insights: { ... } })`). */
export interface InsightOptions {
  /**
   * Resolution hours above which an open incident counts as late for RESOLUTION_DELAY insights.
   * Unset: the median resolution time of the incident's team over the last 90 days (at least 5
   * resolved incidents), else of all incidents.
   */
  readonly resolutionSlaHours?: number;
  /** Incidents named in one risk insight, most at risk first (default 10, 1..100). */
  readonly topIncidents?: number;
  /** Open incidents created this many days before now are scored for risks (default 7, 1..365). */
  readonly riskLookbackDays?: number;
  /** At most this many open incidents, the newest, are scored per model (default 2000, 1..100000). */
  readonly maxIncidents?: number;
}

/**
 * Fills the defaults of the insights options and checks them.
 *
 * @throws EngineError VALIDATION_ERROR naming the bad option.
 */
export function resolveInsightOptions(options: InsightOptions | undefined): GenerationSettings {
  const o = options ?? {};
  const known = ['resolutionSlaHours', 'topIncidents', 'riskLookbackDays', 'maxIncidents'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new EngineError('VALIDATION_ERROR', `unknown insights options: ${unknown.join(', ')}`, {
      options: unknown,
      allowed: known,
    });
  }
  const sla = o.resolutionSlaHours;
  if (sla !== undefined && !(typeof sla === 'number' && sla > 0 && sla <= 87_600)) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'insights.resolutionSlaHours must be a number of hours above 0',
      {
        option: 'resolutionSlaHours',
      },
    );
  }
  return {
    resolutionSlaHours: sla ?? null,
    topIncidents: whole('topIncidents', o.topIncidents, 10, 100),
    lookbackDays: whole('riskLookbackDays', o.riskLookbackDays, 7, 365),
    maxIncidents: whole('maxIncidents', o.maxIncidents, 2000, 100_000),
  };
}

function whole(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new EngineError('VALIDATION_ERROR', `insights.${name} must be a whole number from 1 to ${max}`, {
      option: name,
    });
  }
  return value;
}
