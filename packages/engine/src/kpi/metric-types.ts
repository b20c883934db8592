import type { AggregationType, MetricType, Severity } from '../schema/enums.ts';

const outages: readonly Severity[] = ['HIGH', 'CRITICAL'];

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
   * (HIGH and CRITICAL): a LOW ticket open somewhere does not make a service unavailable.
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
      'Average uptime per service between the end of one outage (HIGH or CRITICAL incidents) and the start of the next',
    systemSeverities: outages,
  },
  MTBSI: {
    unit: 'hours',
    secondsPerUnit: 3600,
    direction: 'higher_is_better',
    samples: 'interval',
    formulaAggregation: 'AVERAGE',
    systemName: 'Mean Time Between Service Incidents',
    systemDescription:
      'Average time per service from the start of one outage (HIGH or CRITICAL incidents) to the start of the next',
    systemSeverities: outages,
  },
  AVAILABILITY: {
    unit: 'percent',
    secondsPerUnit: 1,
    direction: 'higher_is_better',
    samples: 'service',
    formulaAggregation: 'AVERAGE',
    systemName: 'Service Availability',
    systemDescription:
      'Share of the window each service was free of outages (HIGH or CRITICAL incidents), maintenance windows excluded, averaged over services',
    systemSeverities: outages,
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
 * Without a target every value meets it; without a value no target is met.
 */
export function meetsTarget(value: number | null, target: number | null, direction: Direction): boolean {
  if (target === null) return true;
  if (value === null) return false;
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
