import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { aggregationTypes, type MetricType } from '../schema/enums.ts';
import { computeAggregations, type Period } from './calculator.ts';
import { parseFormula } from './formula/parser.ts';
import type { OutageRule } from './kpi-options.ts';
import { activeMetrics, type StoredMetric } from './metric-store.ts';
import type { KpiSummaryItem } from './records.ts';
import {
  type IncidentsVersion,
  isRollupType,
  readSeriesWindows,
  refreshRollups,
  rollupDefinition,
  rollupKey,
  type WindowRequest,
} from './rollups.ts';
import {
  type ExactBaseValue,
  rollupRequest,
  summaryEnd,
  summaryItem,
  trendBaseline,
  windowValueFrom,
} from './summary.ts';

const hourMs = 3_600_000;

/**
 * Serves {@link KpiSummarizer.summary}: which metrics are active and whether their rollups are fresh
 * is remembered in memory against the database's write generation, so a summary after no write runs
 * no freshness query and writes nothing; the rollup windows of all metrics are read in at most three
 * statements; exact values of MTBF, MTBSI and AVAILABILITY are cached per definition and window
 * while the incidents and the maintenance windows are unchanged; and the whole answer is remembered
 * until the next write or the next hour (its windows end at the last complete hour).
 */
export class KpiSummarizer {
  /**
   * Summary values of the types rollups do not serve (MTBF, MTBSI, AVAILABILITY), by metric
   * definition and window, valid while the incidents table and the maintenance windows are unchanged.
   */
  private readonly windowCache = new Map<string, ReturnType<typeof computeAggregations>>();
  private windowCacheVersion = '';
  /** The database write generation at which {@link summaryMetrics} and the rollups were last validated. */
  private summaryGeneration = -1;
  private summaryMetrics: StoredMetric[] = [];
  /** Rollup keys whose stored state matches the incidents version (row count and watermark) noted. */
  private readonly freshRollups = new Map<string, string>();
  /**
   * The last summary computed, with the end of its windows and the database write generation it was
   * read at: the answer depends on nothing else, so it is served again until a write lands or the
   * clock enters the next hour.
   */
  private lastAnswer:
    | { readonly end: number; readonly generation: number; readonly items: KpiSummaryItem[] }
    | undefined;

  constructor(
    private readonly context: EngineContext,
    private readonly rule: OutageRule,
  ) {}

  /** Forgets that the rollups stored under `key` are fresh (call after deleting them). */
  forgetRollups(key: string): void {
    this.freshRollups.delete(key);
    this.lastAnswer = undefined;
  }

  /**
   * The summary of every active metric over its window ending at the last complete hour (`now`
   * rounded down, see {@link summaryEnd}),
   * with the trend against the previous window of the same length and whether the target is met.
   * Reads the hourly rollups, bringing them up to date incrementally first. When nothing was written
   * to the database since the last summary, no freshness query runs at all; the rollup windows of
   * all metrics (current and previous) are then read in at most three statements, and when the
   * windows' end is also unchanged (the clock is still in the same hour) the last answer is served
   * again without any statement.
   */
  async summary(): Promise<KpiSummaryItem[]> {
    const now = this.context.now();
    const end = summaryEnd(now);
    const db = this.context.db;
    const last = this.lastAnswer;
    if (last && last.end === end.getTime() && last.generation === db.generation) {
      return structuredClone(last.items);
    }
    const items = await this.computeSummary(now, end);
    // The state read was validated at summaryGeneration (freshSummaryMetrics); if no write landed
    // since, the answer is exactly that generation's and stays good until the next write.
    if (this.summaryGeneration === db.generation) {
      this.lastAnswer = { end: end.getTime(), generation: db.generation, items: structuredClone(items) };
    }
    return items;
  }

  private async computeSummary(now: Date, end: Date): Promise<KpiSummaryItem[]> {
    const metrics = await this.freshSummaryMetrics(now);
    const periods = metrics.map((metric) => {
      const windowMs = metric.time_window_hours * hourMs;
      const current: Period = { start: new Date(end.getTime() - windowMs), end };
      const previous: Period = { start: new Date(end.getTime() - 2 * windowMs), end: current.start };
      return { current, previous };
    });
    // Metrics sharing a rollup definition and window read it once.
    const requests: WindowRequest[] = [];
    const requestIndex = new Map<string, number>();
    const requestOf = (metric: StoredMetric, period: Period): number => {
      const request = rollupRequest(metric, period);
      if (!request) return -1;
      const id = `${request.key}|${period.start.getTime()}|${period.end.getTime()}`;
      const index = requestIndex.get(id);
      if (index === undefined) {
        requestIndex.set(id, requests.length);
        requests.push(request);
        return requests.length - 1;
      }
      const known = requests[index] as WindowRequest;
      requests[index] = {
        ...known,
        hourly: known.hourly || request.hourly,
        sketch: known.sketch || request.sketch,
      };
      return index;
    };
    const indices = metrics.map((metric, i) => {
      const { current, previous } = periods[i] as { current: Period; previous: Period };
      return { current: requestOf(metric, current), previous: requestOf(metric, previous) };
    });
    const windows = await readSeriesWindows(this.context.db, requests);
    const value = (metric: StoredMetric, period: Period, index: number) => {
      if (index < 0) return this.cachedExactValue(metric, period);
      const exact: ExactBaseValue = async (type, aggregation, at) => {
        const r = await this.cachedAggregations(metric, type, at, 1);
        return r.values.get(aggregation) ?? null;
      };
      return windowValueFrom(metric, period, windows[index] ?? new Map(), exact);
    };
    const items: KpiSummaryItem[] = [];
    for (const [i, metric] of metrics.entries()) {
      const { current, previous } = periods[i] as { current: Period; previous: Period };
      const at = indices[i] as { current: number; previous: number };
      const cur = await value(metric, current, at.current);
      const prev = await value(metric, previous, at.previous);
      items.push(summaryItem(metric, current, cur, trendBaseline(metric, cur, prev)));
    }
    return items;
  }

  /**
   * The active metrics, with every rollup they read brought up to date. Skips all of it when the
   * database's write generation is the one this state was validated at: DuckDB lets one process
   * write a file, so while this engine has it open every write bumps that counter.
   */
  private async freshSummaryMetrics(now: Date): Promise<StoredMetric[]> {
    const db = this.context.db;
    const seen = db.generation;
    if (seen === this.summaryGeneration) return this.summaryMetrics;
    const metrics = await activeMetrics(db);
    const row = await db.one(
      `SELECT (SELECT count(*) FROM incidents) AS n, (SELECT max(updated_at) FROM incidents) AS wm,
         (SELECT count(*) FROM maintenance_windows) AS mn, (SELECT max(created_at) FROM maintenance_windows) AS mat,
         (SELECT list(DISTINCT CAST(metric_id AS VARCHAR)) FROM kpi_dirty_hours) AS dirty`,
    );
    // Keys with hours noted by moved or deleted incidents need a refresh even when the row count and
    // the watermark look unchanged (a delete and an insert, or writes within one clock tick).
    const dirty = new Set((row?.['dirty'] as string[] | null) ?? []);
    const version: IncidentsVersion = {
      rowCount: Number(row?.['n'] ?? 0),
      watermark: (row?.['wm'] as Date | null) ?? null,
    };
    const incidents = JSON.stringify([version.rowCount, version.watermark?.getTime() ?? null]);
    const cacheVersion = JSON.stringify([incidents, Number(row?.['mn'] ?? 0), row?.['mat'] ?? null]);
    if (cacheVersion !== this.windowCacheVersion) {
      this.windowCache.clear();
      this.windowCacheVersion = cacheVersion;
    }
    let ownWrites = 0;
    const checked = new Set<string>();
    for (const metric of metrics) {
      const key = rollupKey(metric);
      if (checked.has(key)) continue;
      checked.add(key);
      if (this.freshRollups.get(key) === incidents && !dirty.has(key)) continue;
      const formula = metric.metric_type === 'CUSTOM' ? parseFormula(metric.calculation_formula ?? '') : null;
      // Every refresh but 'none' is one write transaction of our own.
      if ((await refreshRollups(db, metric, formula, version, now)) !== 'none') ownWrites++;
      this.freshRollups.set(key, incidents);
    }
    // Trust this state until the next write only if no one else wrote while it was gathered.
    if (db.generation === seen + ownWrites) {
      this.summaryGeneration = db.generation;
      this.summaryMetrics = metrics;
    }
    return metrics;
  }

  private cachedExactValue(metric: StoredMetric, period: Period) {
    const type = metric.metric_type;
    if (type === 'CUSTOM' || isRollupType(type)) {
      throw new EngineError('UNSUPPORTED', `${type} is served by rollups`, { metric_type: type });
    }
    // One exact query gives every aggregation, so metrics differing only in aggregation share it.
    return this.cachedAggregations(metric, type, period).then((result) => ({
      value: result.values.get(metric.aggregation_type) ?? null,
      incidentCount: result.incidentCount,
      sampleCount: result.sampleCount,
    }));
  }

  /**
   * Exact aggregations of a non-rollup type over a period, cached while the incidents and the
   * maintenance windows are unchanged. `secondsPerUnit` 1 gives base units (for formulas).
   */
  private cachedAggregations(
    metric: StoredMetric,
    type: Exclude<MetricType, 'CUSTOM'>,
    period: Period,
    secondsPerUnit?: number,
  ): ReturnType<typeof computeAggregations> {
    const key = JSON.stringify([
      rollupDefinition(metric),
      type,
      secondsPerUnit ?? null,
      period.start,
      period.end,
    ]);
    let entry = this.windowCache.get(key);
    if (!entry) {
      entry =
        secondsPerUnit === undefined
          ? computeAggregations(this.context.db, type, metric, aggregationTypes, period, this.rule)
          : computeAggregations(
              this.context.db,
              type,
              metric,
              aggregationTypes,
              period,
              this.rule,
              secondsPerUnit,
            );
      this.windowCache.set(key, entry);
      entry.catch(() => this.windowCache.delete(key));
    }
    return entry;
  }
}
