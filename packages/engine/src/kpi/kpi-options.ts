import { EngineError } from '../errors.ts';

/** Settings of the KPI engine, given to `openEngine({ kpi })`. */
export interface KpiOptions {
  /**
   * How long an incident that is still open counts as an outage, hours after its creation
   * (default {@link defaultOpenOutageHorizonHours}). MTBF, MTBSI and AVAILABILITY, system metrics
   * and user metrics alike, end an open outage incident's interval at
   * `min(created_at + horizon, end of the window)`: a forgotten ticket stops counting as downtime
   * after it instead of until now. Resolved incidents count until `resolved_at`, however long.
   * `Infinity` keeps every open incident down until now.
   */
  readonly openOutageHorizonHours?: number;
}

/** Default {@link KpiOptions.openOutageHorizonHours}: three days, well past a real outage's restore time. */
export const defaultOpenOutageHorizonHours = 72;

/** Largest finite horizon accepted: 100 years (timestamps beyond would overflow). */
const maxFiniteHorizonHours = 876_000;

/** The rule an outage computation follows, validated. */
export interface OutageRule {
  /** {@link KpiOptions.openOutageHorizonHours}, in seconds (may be `Infinity`). */
  readonly openHorizonSeconds: number;
}

/**
 * Validates {@link KpiOptions} into an {@link OutageRule}.
 *
 * @throws EngineError VALIDATION_ERROR when the horizon is not a positive number of hours.
 */
export function outageRule(options: KpiOptions = {}): OutageRule {
  const hours = options.openOutageHorizonHours ?? defaultOpenOutageHorizonHours;
  const finite = Number.isFinite(hours) && hours > 0 && hours <= maxFiniteHorizonHours;
  if (typeof hours !== 'number' || !(finite || hours === Number.POSITIVE_INFINITY)) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `openOutageHorizonHours must be a positive number of hours up to ${maxFiniteHorizonHours}, or Infinity`,
      { openOutageHorizonHours: hours },
    );
  }
  return { openHorizonSeconds: hours * 3600 };
}
