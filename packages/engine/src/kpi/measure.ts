import type { EngineContext } from '../context.ts';
import type { AggregationType } from '../schema/enums.ts';
import type { SqlParams, Transaction } from '../store/database.ts';
import { type Computation, computeAggregations, computeFormula, type Period } from './calculator.ts';
import { parseFormula } from './formula/parser.ts';
import type { OutageRule } from './kpi-options.ts';
import { findMeasurement, previousValue } from './measurement-store.ts';
import type { StoredMetric } from './metric-store.ts';
import { formatDecimal, meetsTarget, metricTypeInfo } from './metric-types.ts';
import type { KpiMeasurement } from './records.ts';

/** The outcome of one calculation. */
export interface CalculationResult {
  readonly measurement: KpiMeasurement;
  /** False when the stored measurement of that period was returned without recomputing. */
  readonly computed: boolean;
}

/**
 * Shared work of one batch of calculations: metrics with the same type, filters and period share
 * one query (`wanted` lists the aggregations to compute in it; `cache` holds its pending result).
 */
export interface MeasureBatch {
  readonly cache: Map<string, Promise<Awaited<ReturnType<typeof computeAggregations>>>>;
  readonly wanted: Map<string, Set<AggregationType>>;
}

const hourMs = 3_600_000;

/** What a metric's samples depend on: metrics with equal keys can share one aggregation query. */
export function sampleKey(metric: StoredMetric, period: Period): string {
  return JSON.stringify([
    metric.metric_type,
    metric.incident_categories,
    metric.incident_severities,
    metric.incident_priorities,
    metric.services,
    metric.teams,
    period.start.getTime(),
    period.end.getTime(),
  ]);
}

async function compute(
  context: EngineContext,
  metric: StoredMetric,
  period: Period,
  rule: OutageRule,
  batch: MeasureBatch,
): Promise<Computation> {
  const type = metric.metric_type;
  if (type === 'CUSTOM') {
    return computeFormula(context.db, parseFormula(metric.calculation_formula ?? ''), metric, period, rule);
  }
  const key = sampleKey(metric, period);
  let pending = batch.cache.get(key);
  if (!pending) {
    const aggregations = [...(batch.wanted.get(key) ?? [metric.aggregation_type])];
    if (!aggregations.includes(metric.aggregation_type)) aggregations.push(metric.aggregation_type);
    pending = computeAggregations(context.db, type, metric, aggregations, period, rule);
    batch.cache.set(key, pending);
  }
  const result = await pending;
  const value = result.values.get(metric.aggregation_type);
  return {
    value: value === undefined ? null : value,
    incidentCount: result.incidentCount,
    sampleCount: result.sampleCount,
    details: {
      samples: metricTypeInfo[type].samples,
      ...(type === 'MTBF' || type === 'MTBSI' || type === 'AVAILABILITY'
        ? // How long an open incident counted as an outage; null: until the end of the window.
          {
            open_outage_horizon_hours: Number.isFinite(rule.openHorizonSeconds)
              ? rule.openHorizonSeconds / 3600
              : null,
          }
        : {}),
      excluded_incidents:
        metricTypeInfo[type].samples === 'incident' ? result.incidentCount - result.sampleCount : undefined,
    },
  };
}

/**
 * Measures `metric` exactly over `period` and stores the measurement (see `KpiService.calculate`);
 * open outage incidents end as `rule` says.
 */
export async function measureMetric(
  context: EngineContext,
  metric: StoredMetric,
  period: Period,
  force: boolean,
  rule: OutageRule,
  batch: MeasureBatch = { cache: new Map(), wanted: new Map() },
): Promise<CalculationResult> {
  const db = context.db;
  if (!force) {
    const stored = await findMeasurement(db, metric.id, period.start, period.end);
    if (stored) return { measurement: stored, computed: false };
  }
  const computation = await compute(context, metric, period, rule, batch);
  const info = metricTypeInfo[metric.metric_type];
  const id = crypto.randomUUID();
  const calculatedAt = context.now();
  await db.transaction(async (tx) => {
    const previous = await previousValue(tx, metric.id, period.start, period.end);
    const met = meetsTarget(computation.value, metric.target_value, info.direction);
    // A breach is a crossing from met (or no earlier measurement) to missed; an unknown (null) value
    // on either side is no crossing.
    const wasMet =
      !previous.found || meetsTarget(previous.value, metric.target_value, info.direction) === true;
    const breached = metric.target_value !== null && met === false && wasMet;
    const details = {
      ...computation.details,
      aggregation: metric.aggregation_type,
      window_hours: (period.end.getTime() - period.start.getTime()) / hourMs,
      filters: {
        incident_categories: metric.incident_categories,
        incident_severities: metric.incident_severities,
        incident_priorities: metric.incident_priorities,
        services: metric.services,
        teams: metric.teams,
      },
      ...(metric.calculation_formula ? { formula: metric.calculation_formula } : {}),
      target_value: metric.target_value,
      target_met: met,
      threshold_breached: breached,
    };
    await exec(
      tx,
      'DELETE FROM kpi_measurements WHERE metric_id = $id::UUID AND period_start = $start AND period_end = $end',
      { id: metric.id, start: period.start, end: period.end },
    );
    await exec(
      tx,
      `INSERT INTO kpi_measurements VALUES ($id::UUID, $metric::UUID, $value::DOUBLE, $unit, $start, $end,
         $incidents, $samples, $at, $details::JSON)`,
      {
        id,
        metric: metric.id,
        value: computation.value,
        unit: info.unit,
        start: period.start,
        end: period.end,
        incidents: computation.incidentCount,
        samples: computation.sampleCount,
        at: calculatedAt,
        details: JSON.stringify(details),
      },
    );
    if (breached) {
      await context.events.append(tx, 'KPI_THRESHOLD_BREACHED', {
        metric_id: metric.id,
        metric_name: metric.name,
        metric_type: metric.metric_type,
        measurement_id: id,
        value: formatDecimal(computation.value),
        target_value: formatDecimal(metric.target_value),
        unit: info.unit,
        direction: info.direction,
        previous_value: formatDecimal(previous.value),
        period_start: period.start.toISOString(),
        period_end: period.end.toISOString(),
      });
    }
  });
  const stored = await findMeasurement(db, metric.id, period.start, period.end);
  return { measurement: stored as KpiMeasurement, computed: true };
}

/** Runs one statement with bound parameters in a transaction. */
export async function exec(tx: Transaction, sql: string, params: SqlParams): Promise<void> {
  await tx.run(sql, params);
}
