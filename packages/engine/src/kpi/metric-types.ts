import type { AggregationType, MetricType, Severity } from '../schema/enums.ts';

/**
 * What the system uptime metrics (MTBF, MTBSI, AVAILABILITY) count as an outage: a CRITICAL
 * incident, the service down. A HIGH incident is serious but the service still serves (degraded,
 * one feature broken); counting it as downtime would put real services far below the 99%+ they
 * deliver.
 */
const systemOutageSeverities: readonly Severity[] = ['CRITICAL'];

/** Which way a metric improves; decides `target_met` and which crossing of a target is a breach. */
export type Direction = 'lower_is_better' | 'higher_is_better';

/** How a metric type is measured and shown. */
export interface MetricTypeInfo {
  /** The unit its values are reported in. */
  readonly unit: 'minutes' | 'hours' | 'percent' | 'count' | 'value';
  /** Seconds per reported unit for durations (values are computed in seconds and divided by it); 1 otherwise. */
  readonly secondsPerUnit: number;
  readonly direction: Direction;
  /**
   * What the aggregation runs over: one sample per incident, one per uptime interval between
   * outages of a service, one per service, or one per hourly bucket of the window.
   */
  readonly samples: 'incident' | 'interval' | 'service' | 'bucket' | 'formula';
  /** The aggregation a reference to this type inside a CUSTOM formula uses. */
  readonly formulaAggregation: AggregationType;
  /** Name and description of the system metric of this type. */
  readonly systemName: string;
  readonly systemDescription: string;
  /**
   * Severities the system metric counts; empty for all. Uptime metrics count outages only
   * ({@link systemOutageSeverities}: CRITICAL): a ticket open somewhere does not make a service
   * unavailable.
   */
  readonly systemSeverities: readonly Severity[];
}

/**
 * The measurement rules of every metric type (the README's definitions table in code). Durations
 * are computed in seconds and reported in minutes (MTTA) or hours (MTTR, MTBF, MTBSI).
 */
export const metricTypeInfo: Readonly<Record<MetricType, MetricTypeInfo>> = {
  MTTA: {
    unit: 'minutes',
    secondsPerUnit: 60,
    direction: 'lower_is_better',
    samples: 'incident',
    formulaAggregation: 'AVERAGE',
    systemName: 'Mean Time to Acknowledge',
    systemDescription:
      'Average time from creation to first acknowledgement of incidents created in the window',
    systemSeverities: [],
  },
  MTTR: {
    unit: 'hours',
    secondsPerUnit: 3600,
    direction: 'lower_is_better',
    samples: 'incident',
    formulaAggregation: 'AVERAGE',
    systemName: 'Mean Time to Resolve',
    systemDescription: 'Average time from creation to resolution of resolved incidents created in the window',
    systemSeverities: [],
  },
  MTBF: {
    unit: 'hours',
    secondsPerUnit: 3600,
    direction: 'higher_is_better',
    samples: 'interval',
    formulaAggregation: 'AVERAGE',
    systemName: 'Mean Time Between Failures',
    systemDescription:
      'Average uptime per service between the end of one outage (CRITICAL incident) and the start of the next',
    systemSeverities: systemOutageSeverities,
  },
  MTBSI: {
    unit: 'hours',
    secondsPerUnit: 3600,
    direction: 'higher_is_better',
    samples: 'interval',
    formulaAggregation: 'AVERAGE',
    systemName: 'Mean Time Between Service Incidents',
    systemDescription:
      'Average time per service from the start of one outage (CRITICAL incident) to the start of the next',
    systemSeverities: systemOutageSeverities,
  },
  AVAILABILITY: {
    unit: 'percent',
    secondsPerUnit: 1,
    direction: 'higher_is_better',
    samples: 'service',
    formulaAggregation: 'AVERAGE',
    systemName: 'Service Availability',
    systemDescription:
      'Share of the window each service was free of outages (CRITICAL incidents), maintenance windows excluded, averaged over services',
    systemSeverities: systemOutageSeverities,
  },
  INCIDENT_COUNT: {
    unit: 'count',
    secondsPerUnit: 1,
    direction: 'lower_is_better',
    samples: 'bucket',
    formulaAggregation: 'SUM',
    systemName: 'Incident Count',
    systemDescription: 'Incidents created in the window',
    systemSeverities: [],
  },
  RESOLUTION_RATE: {
    unit: 'percent',
    secondsPerUnit: 1,
    direction: 'higher_is_better',
    samples: 'bucket',
    formulaAggregation: 'AVERAGE',
    systemName: 'Resolution Rate',
    systemDescription: 'Share of incidents created in the window that are resolved',
    systemSeverities: [],
  },
  ESCALATION_RATE: {
    unit: 'percent',
    secondsPerUnit: 1,
    direction: 'lower_is_better',
    samples: 'bucket',
    formulaAggregation: 'AVERAGE',
    systemName: 'Escalation Rate',
    systemDescription: 'Share of incidents created in the window that were escalated',
    systemSeverities: [],
  },
  CUSTOM: {
    unit: 'value',
    secondsPerUnit: 1,
    direction: 'lower_is_better',
    samples: 'formula',
    formulaAggregation: 'AVERAGE',
    systemName: '',
    systemDescription: '',
    systemSeverities: [],
  },
};

/** The aggregation each system metric uses (counts add up; everything else averages). */
export function systemAggregation(type: MetricType): AggregationType {
  return type === 'INCIDENT_COUNT' ? 'SUM' : 'AVERAGE';
}

/** Window of the system metrics, hours. */
export const systemWindowHours = 24;

/**
 * True when `value` meets `target` for a metric improving in `direction` (equal counts as met).
 * Without a target every value meets it. Without a value (nothing to measure: a formula dividing by
 * zero, a window without samples, a window inside maintenance) it is `null`: unknown, neither met
 * nor missed.
 */
export function meetsTarget(
  value: number | null,
  target: number | null,
  direction: Direction,
): boolean | null {
  if (value === null) return null;
  if (target === null) return true;
  return direction === 'lower_is_better' ? value <= target : value >= target;
}

/**
 * A decimal for the API: rounded to `places` decimals, trailing zeros dropped (`15.5` → `"15.5"`),
 * `null` for no value.
 */
export function formatDecimal(value: number | null, places = 4): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** places;
  const rounded = Math.round(value * scale) / scale;
  return Object.is(rounded, -0) ? '0' : rounded.toFixed(places).replace(/\.?0+$/, '');
}
