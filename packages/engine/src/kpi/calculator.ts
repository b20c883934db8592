import type { AggregationType, MetricType } from '../schema/enums.ts';
import type { Database, SqlValue } from '../store/database.ts';
import { aggregateFunctionSql, compileLeaves, evaluateFormula } from './formula/compile.ts';
import type { FormulaMetric, FormulaNode } from './formula/parser.ts';
import { filterSql, type IncidentFilters } from './incident-filter.ts';
import type { OutageRule } from './kpi-options.ts';
import { metricTypeInfo } from './metric-types.ts';
import { aggregationSql, sampleRelation } from './sample-sql.ts';

/** The exact result of one metric over one period. */
export interface Computation {
  /** In the metric's reported unit; `null` when there was nothing to measure. */
  readonly value: number | null;
  /** Incidents the computation looked at (see the README's definitions per type). */
  readonly incidentCount: number;
  /** Samples the aggregation ran over (incidents, intervals, services or buckets). */
  readonly sampleCount: number;
  readonly details: Record<string, unknown>;
}

/** The period a computation covers: `[start, end)`. */
export interface Period {
  readonly start: Date;
  readonly end: Date;
}

/** Keeps only the parameters `sql` refers to (DuckDB refuses unknown named parameters). */
export function usedParams(sql: string, params: Record<string, SqlValue>): Record<string, SqlValue> {
  const used: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(params)) {
    if (new RegExp(`\\$${key}\\b`).test(sql)) used[key] = value;
  }
  return used;
}

/**
 * Computes several aggregations of one non-CUSTOM metric type over one period in a single exact
 * SQL query (DuckDB: `quantile_cont` percentiles, window functions for outage islands).
 *
 * @param rule where an open outage incident's interval ends (MTBF, MTBSI, AVAILABILITY).
 * @param secondsPerUnit divide durations by this (60 for minutes); `undefined` = the type's unit.
 */
export async function computeAggregations(
  db: Database,
  type: Exclude<MetricType, 'CUSTOM'>,
  filters: IncidentFilters,
  aggregations: readonly AggregationType[],
  period: Period,
  rule: OutageRule,
  secondsPerUnit = metricTypeInfo[type].secondsPerUnit,
): Promise<{ values: Map<AggregationType, number | null>; incidentCount: number; sampleCount: number }> {
  const relation = sampleRelation(type, filters, rule);
  const rate = type === 'RESOLUTION_RATE' || type === 'ESCALATION_RATE';
  const unique = [...new Set(aggregations)];
  const select = unique.map((a, i) => `${aggregationSql(a, rate)} AS a${i}`).join(', ');
  const sql = `SELECT ${select}, coalesce(sum(inc), 0) AS incidents, count(x) AS samples FROM (${relation.sql})`;
  const params = { ...relation.params, start: period.start, end: period.end, scale: secondsPerUnit };
  const row = await db.one(sql, usedParams(sql, params));
  const values = new Map<AggregationType, number | null>();
  unique.forEach((a, i) => {
    values.set(a, toNumber(row?.[`a${i}`]));
  });
  return {
    values,
    incidentCount: Number(row?.['incidents'] ?? 0),
    sampleCount: Number(row?.['samples'] ?? 0),
  };
}

/**
 * Evaluates a parsed CUSTOM formula over one period: its aggregates in one SQL query over the
 * incidents created in the period that pass `filters`, its metric references with each type's
 * formula aggregation in base units (seconds, percent, counts; outages ending as `rule` says),
 * then the arithmetic in JS.
 */
export async function computeFormula(
  db: Database,
  formula: FormulaNode,
  filters: IncidentFilters,
  period: Period,
  rule: OutageRule,
): Promise<Computation> {
  const leaves = compileLeaves(formula);
  const params: Record<string, SqlValue> = { ...leaves.params, start: period.start, end: period.end };
  const where = filterSql(filters, params);
  const select = leaves.aggregates.map((a, i) => `${aggregateFunctionSql(a.fn, a.valueSql)} AS a${i}`);
  const sql = `SELECT ${[...select, 'count(*) AS incidents'].join(', ')}
               FROM incidents WHERE created_at >= $start AND created_at < $end AND ${where}`;
  const row = await db.one(sql, usedParams(sql, params));
  const aggregateValues = leaves.aggregates.map((_, i) => toNumber(row?.[`a${i}`]));
  const metricValues = new Map<FormulaMetric, number | null>();
  for (const metric of leaves.metrics) {
    const aggregation = metricTypeInfo[metric].formulaAggregation;
    const result = await computeAggregations(db, metric, filters, [aggregation], period, rule, 1);
    metricValues.set(metric, result.values.get(aggregation) ?? null);
  }
  const incidents = Number(row?.['incidents'] ?? 0);
  return {
    value: evaluateFormula(formula, aggregateValues, metricValues),
    incidentCount: incidents,
    sampleCount: incidents,
    details: {
      aggregates: aggregateValues,
      metrics: Object.fromEntries(metricValues),
      units: 'durations in seconds, rates in percent, counts as counts',
    },
  };
}

/** A DuckDB aggregate result as a finite JS number, or `null`. */
function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}
