import { EngineError } from '../errors.ts';
import type { AggregationType, MetricType } from '../schema/enums.ts';
import { aggregateValues, quantileLevel } from './aggregate.ts';
import type { Period } from './calculator.ts';
import { sketchQuantile } from './dd-sketch.ts';
import { compileLeaves, evaluateFormula } from './formula/compile.ts';
import {
  type FormulaFunction,
  type FormulaMetric,
  type FormulaNode,
  parseFormula,
} from './formula/parser.ts';
import type { StoredMetric } from './metric-store.ts';
import { formatDecimal, meetsTarget, metricTypeInfo } from './metric-types.ts';
import type { KpiSummaryItem } from './records.ts';
import {
  emptySeriesWindow,
  isRollupType,
  metricSeries,
  type RollupType,
  rollupKey,
  type SeriesWindow,
  type WindowRequest,
} from './rollups.ts';

/** |change| below this percentage is reported as `stable`. */
const stableBandPercent = 1;

const hourMs = 3_600_000;

/**
 * The end of the summary's current window: the last complete hour, `now` rounded down to the whole
 * hour (UTC), as `calculate` does by default. Never in the future; the hour still filling is left
 * out, so a window's value does not change while it is shown, and windows stay on the hourly rollups.
 */
export function summaryEnd(now: Date): Date {
  return new Date(Math.floor(now.getTime() / hourMs) * hourMs);
}

/**
 * Fewest uptime intervals (MTBF, MTBSI samples) each window needs for the summary to tell a trend.
 * Outages are rare: a day holds none to a few, and the mean of one or two gaps against the mean of
 * one or two others swings by hundreds of percent with no change in reliability behind it.
 */
const minIntervalsForTrend = 5;

/**
 * The previous window's value as the trend should see it: `null` (no trend) for an MTBF or MTBSI
 * metric when either window has fewer than {@link minIntervalsForTrend} intervals.
 */
export function trendBaseline(
  metric: Pick<StoredMetric, 'metric_type'>,
  current: { value: number | null; sampleCount?: number | undefined },
  previous: { value: number | null; sampleCount?: number | undefined },
): number | null {
  if (metricTypeInfo[metric.metric_type].samples !== 'interval') return previous.value;
  const fewest = Math.min(current.sampleCount ?? 0, previous.sampleCount ?? 0);
  return fewest < minIntervalsForTrend ? null : previous.value;
}

/** What the summary's `period_end` is, reported on every line. */
const summaryPeriodEndBasis = 'last_complete_hour';

/** A plain type's value (base units) from its merged hourly rollups. */
function typeValue(type: RollupType, aggregation: AggregationType, w: SeriesWindow): number | null {
  if (type === 'INCIDENT_COUNT') return aggregateValues(w.hourlyIncidents, aggregation);
  if (type === 'RESOLUTION_RATE' || type === 'ESCALATION_RATE') {
    if (aggregation === 'AVERAGE') return w.incidentCount > 0 ? (100 * w.numerator) / w.incidentCount : null;
    const rates = w.hourlyIncidents.map((n, h) =>
      n > 0 ? (100 * (w.hourlyNumerator[h] ?? 0)) / n : Number.NaN,
    );
    return aggregateValues(rates, aggregation);
  }
  return sampleValue(aggregation, w);
}

function sampleValue(aggregation: AggregationType, w: SeriesWindow): number | null {
  if (aggregation === 'COUNT') return w.sampleCount;
  if (w.sampleCount === 0) return null;
  if (aggregation === 'AVERAGE') return w.sampleSum / w.sampleCount;
  if (aggregation === 'SUM') return w.sampleSum;
  if (aggregation === 'MIN') return w.sampleMin;
  if (aggregation === 'MAX') return w.sampleMax;
  return sketchQuantile(w.sketch, quantileLevel(aggregation) ?? 0.5);
}

const fnAggregation: Readonly<Record<FormulaFunction, AggregationType>> = {
  avg: 'AVERAGE',
  median: 'MEDIAN',
  min: 'MIN',
  max: 'MAX',
  sum: 'SUM',
  count: 'COUNT',
  p95: 'PERCENTILE_95',
  p99: 'PERCENTILE_99',
};

/** Exact value of a non-rollup type (MTBF, MTBSI, AVAILABILITY) over a period, in base units. */
export type ExactBaseValue = (
  type: Exclude<MetricType, 'CUSTOM'>,
  aggregation: AggregationType,
  period: Period,
) => Promise<number | null>;

const quantileAggregations: ReadonlySet<AggregationType> = new Set([
  'MEDIAN',
  'PERCENTILE_95',
  'PERCENTILE_99',
]);

/**
 * What the summary reads from the hourly rollups for `metric` over `period`, or `null` for the types
 * rollups do not serve (MTBF, MTBSI, AVAILABILITY: computed exactly per window).
 */
export function rollupRequest(metric: StoredMetric, period: Period): WindowRequest | null {
  const type = metric.metric_type;
  if (type !== 'CUSTOM' && !isRollupType(type)) return null;
  const aggregation = metric.aggregation_type;
  // Per-hour counts matter only to per-bucket aggregations (counts and rates, directly or in a formula).
  const hourly =
    type === 'INCIDENT_COUNT' ||
    ((type === 'RESOLUTION_RATE' || type === 'ESCALATION_RATE') && aggregation !== 'AVERAGE') ||
    (type === 'CUSTOM' && /INCIDENT_COUNT/i.test(metric.calculation_formula ?? ''));
  // Sketch bins matter only to medians and percentiles of per-incident samples.
  const sketch =
    type === 'CUSTOM' || ((type === 'MTTA' || type === 'MTTR') && quantileAggregations.has(aggregation));
  return { key: rollupKey(metric), start: period.start, end: period.end, hourly, sketch };
}

/**
 * A metric's value over one hour-aligned window for the summary, in its reported unit, from the
 * rollup windows `readSeriesWindows` read for {@link rollupRequest}. Types with per-incident or
 * per-bucket samples (and CUSTOM formulas over them) use the hourly rollups — counts, sums, min/max
 * and rates exact, median and percentiles from merged DDSketches (0.8% relative error). A formula's
 * references to MTBF, MTBSI or AVAILABILITY go to `exact`.
 */
export async function windowValueFrom(
  metric: StoredMetric,
  period: Period,
  windows: ReadonlyMap<number, SeriesWindow>,
  exact: ExactBaseValue,
): Promise<{ value: number | null; incidentCount: number }> {
  const hours = Math.round((period.end.getTime() - period.start.getTime()) / hourMs);
  const type = metric.metric_type;
  const series = (n: number) => windows.get(n) ?? emptySeriesWindow(hours);
  if (type !== 'CUSTOM') {
    if (!isRollupType(type)) {
      throw new EngineError('UNSUPPORTED', `${type} is not served by rollups`, { metric_type: type });
    }
    const value = typeValue(type, metric.aggregation_type, series(0));
    const scale = metricTypeInfo[type].secondsPerUnit;
    return { value: value === null ? null : value / scale, incidentCount: series(0).incidentCount };
  }
  const formula: FormulaNode = parseFormula(metric.calculation_formula ?? '');
  const leaves = compileLeaves(formula, 'rx');
  const aggregates = leaves.aggregates.map((a, i) => {
    const w = series(i);
    if (a.valueSql === null) return w.incidentCount;
    return sampleValue(fnAggregation[a.fn], w);
  });
  const metrics = new Map<FormulaMetric, number | null>();
  for (const m of leaves.metrics) {
    const aggregation = metricTypeInfo[m].formulaAggregation;
    if (isRollupType(m)) metrics.set(m, typeValue(m, aggregation, series(metricSeries(m))));
    else metrics.set(m, await exact(m, aggregation, period));
  }
  // Every series of a key counts all the incidents its filters select, so any one gives the count.
  const counted = windows.values().next().value;
  return {
    value: evaluateFormula(formula, aggregates, metrics),
    incidentCount: counted?.incidentCount ?? 0,
  };
}

/**
 * Builds one summary line from the current and previous window values. Without a value in either
 * window there is no trend (`trend` and `trend_percentage` null; pass the previous value through
 * {@link trendBaseline}); without a current value `target_met` is null as well.
 */
export function summaryItem(
  metric: StoredMetric,
  period: Period,
  current: { value: number | null; incidentCount: number },
  previous: number | null,
): KpiSummaryItem {
  const info = metricTypeInfo[metric.metric_type];
  let trend: KpiSummaryItem['trend'] = null;
  let percentage: number | null = null;
  const value = current.value;
  if (value !== null && previous !== null) {
    if (previous === 0) {
      percentage = value === 0 ? 0 : null;
      trend = value > 0 ? 'up' : value < 0 ? 'down' : 'stable';
    } else {
      percentage = ((value - previous) / Math.abs(previous)) * 100;
      trend = Math.abs(percentage) < stableBandPercent ? 'stable' : percentage > 0 ? 'up' : 'down';
    }
  }
  return {
    metric_type: metric.metric_type,
    metric_name: metric.name,
    current_value: formatDecimal(value),
    unit: info.unit,
    trend,
    trend_percentage: formatDecimal(percentage, 1),
    period_start: period.start,
    period_end: period.end,
    period_end_basis: summaryPeriodEndBasis,
    incident_count: current.incidentCount,
    target_value: formatDecimal(metric.target_value),
    target_met: meetsTarget(value, metric.target_value, info.direction),
  };
}
