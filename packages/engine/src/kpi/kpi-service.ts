import { assertMetricChangeable } from '../auth/policy.ts';
import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { type ZodIssueLike, zodIssuesToFieldErrors } from '../input/field-errors.ts';
import { GroupCommit } from '../store/group-commit.ts';
import type { ListRequest, Page } from '../store/list-query.ts';
import type { Period } from './calculator.ts';
import { parseFormula } from './formula/parser.ts';
import { type KpiOptions, type OutageRule, outageRule } from './kpi-options.ts';
import { MaintenanceWindows } from './maintenance-windows.ts';
import { type CalculationResult, exec, type MeasureBatch, measureMetric, sampleKey } from './measure.ts';
import { listMeasurements, type MeasurementListFilters } from './measurement-store.ts';
import { CreatorNames, insertMetrics, type NewMetric } from './metric-create.ts';
import {
  type MetricCreateInput,
  type MetricDefinition,
  type MetricUpdateInput,
  metricCreateSchema,
  metricUpdateSchema,
} from './metric-schema.ts';
import type { KpiMetricListFilters } from './metric-store.ts';
import {
  activeMetrics,
  listMetrics,
  readMetric,
  type StoredMetric,
  toApiMetrics,
  updateMetric,
} from './metric-store.ts';
import type { KpiMeasurement, KpiMetric, KpiSummaryItem } from './records.ts';
import { rollupKey } from './rollups.ts';
import { KpiSummarizer } from './summary-service.ts';
import { ensureSystemMetrics } from './system-metrics.ts';

/** Options of {@link KpiService.calculate}. */
export interface CalculateOptions {
  /** Window length in whole hours (1..8784); default the metric's `time_window_hours`. */
  readonly windowHours?: number | undefined;
  /** End of the period (exclusive); default the current time rounded down to the hour (UTC). */
  readonly end?: Date | undefined;
  /** Recompute and replace a stored measurement of the same period. */
  readonly force?: boolean | undefined;
}

export type { CalculationResult } from './measure.ts';

const hourMs = 3_600_000;
const maxWindowHours = 24 * 366;

function invalid(message: string, details: unknown): EngineError {
  return new EngineError('VALIDATION_ERROR', message, details);
}

function zodDetails(issues: readonly ZodIssueLike[]) {
  return { errors: zodIssuesToFieldErrors(issues) };
}

/**
 * The KPI engine: metric definitions (system metrics included), exact batch measurements with
 * threshold events, the summary from incremental hourly rollups, and maintenance windows.
 */
export class KpiService {
  /** Planned downtime availability leaves out. */
  readonly maintenanceWindows: MaintenanceWindows;
  private readonly summarizer: KpiSummarizer;
  private readonly rule: OutageRule;
  /** Client creates, written in batches of those that arrive together. */
  private readonly creates: GroupCommit<NewMetric, KpiMetric>;

  /** @throws EngineError VALIDATION_ERROR for bad {@link KpiOptions}. */
  constructor(
    private readonly context: EngineContext,
    options: KpiOptions = {},
  ) {
    this.rule = outageRule(options);
    this.maintenanceWindows = new MaintenanceWindows(context.db, context.now);
    this.summarizer = new KpiSummarizer(context, this.rule);
    const names = new CreatorNames(context.db);
    this.creates = new GroupCommit(context.db, (tx, metrics) => insertMetrics(tx, metrics, names), {
      oneWritingStatement: true,
    });
  }

  /**
   * Creates the system metrics that do not exist yet and brings existing ones up to the current
   * definitions (see {@link ensureSystemMetrics}). Idempotent.
   */
  async ensureSystemMetrics(): Promise<void> {
    const at = this.context.now();
    await this.context.db.transaction((tx) => ensureSystemMetrics(tx, at));
  }

  /**
   * Creates a metric. A CUSTOM metric's formula is parsed and checked here.
   *
   * @param options.createdBy the creator (a user id), shown as `created_by_username`.
   * @throws EngineError VALIDATION_ERROR for bad fields; for a formula, `details.position` and `details.problem`.
   */
  async create(
    input: MetricCreateInput,
    options: { createdBy?: string | undefined } = {},
  ): Promise<KpiMetric> {
    const definition = this.validate(input);
    // Creates that arrive together share one transaction (store/group-commit.ts).
    return this.creates.submit({
      definition,
      id: crypto.randomUUID(),
      createdBy: options.createdBy ?? null,
      at: this.context.now(),
    });
  }

  /**
   * One metric with its measurement count and latest measurement.
   *
   * @throws EngineError NOT_FOUND.
   */
  async get(id: string): Promise<KpiMetric> {
    const [metric] = await toApiMetrics(this.context.db, [await readMetric(this.context.db, id)]);
    return metric as KpiMetric;
  }

  /**
   * A page of metrics. Filters: metric_type, is_active, is_system_metric (booleans),
   * created_after, created_before (dates); `search` in name and description; `ordering`.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown filter or ordering.
   */
  list(request: ListRequest<KpiMetricListFilters> = {}): Promise<Page<KpiMetric>> {
    return listMetrics(this.context.db, request);
  }

  /**
   * Changes some fields of a metric; the result is validated as a whole (formula included).
   *
   * @throws EngineError NOT_FOUND; FORBIDDEN for a system metric; VALIDATION_ERROR for bad fields.
   */
  async update(id: string, patch: MetricUpdateInput): Promise<KpiMetric> {
    const current = await readMetric(this.context.db, id);
    this.assertChangeable(current, 'changed');
    const parsed = metricUpdateSchema.safeParse(patch);
    if (!parsed.success) throw invalid('invalid KPI metric', zodDetails(parsed.error.issues));
    const given = Object.fromEntries(
      Object.entries(parsed.data).filter(([key]) => (patch as Record<string, unknown>)[key] !== undefined),
    );
    const merged = { ...current, ...given };
    const definition = this.validate({
      name: merged.name,
      description: merged.description,
      metric_type: merged.metric_type,
      aggregation_type: merged.aggregation_type,
      incident_categories: merged.incident_categories,
      incident_severities: merged.incident_severities,
      incident_priorities: merged.incident_priorities,
      services: merged.services,
      teams: merged.teams,
      calculation_formula: merged.metric_type === 'CUSTOM' ? merged.calculation_formula : null,
      time_window_hours: merged.time_window_hours,
      target_value: merged.target_value,
      is_active: merged.is_active,
    });
    await updateMetric(this.context.db, id, definition, this.context.now());
    return this.get(id);
  }

  /**
   * Deletes a metric with its measurements and rollups.
   *
   * @throws EngineError NOT_FOUND; FORBIDDEN for a system metric.
   */
  async delete(id: string): Promise<void> {
    const current = await readMetric(this.context.db, id);
    this.assertChangeable(current, 'deleted');
    await this.context.db.transaction(async (tx) => {
      await exec(tx, 'DELETE FROM kpi_measurements WHERE metric_id = $id::UUID', { id });
      // Rollups may be shared with metrics of the same definition; dropping them only costs those a rebuild.
      for (const table of ['kpi_rollups', 'kpi_rollup_bins', 'kpi_rollup_state']) {
        await exec(tx, `DELETE FROM ${table} WHERE metric_id = $id::UUID`, { id: rollupKey(current) });
      }
      await exec(tx, 'DELETE FROM kpi_metrics WHERE id = $id::UUID', { id });
    });
    this.summarizer.forgetRollups(rollupKey(current));
  }

  /**
   * Measures a metric exactly over `[end − window, end)` and stores the measurement. The same
   * metric and period again returns the stored measurement unless `force` (which replaces it).
   * A value on the wrong side of `target_value` when the previous measurement was not emits
   * KPI_THRESHOLD_BREACHED in the same transaction.
   *
   * @throws EngineError NOT_FOUND for an unknown metric; VALIDATION_ERROR for a bad window or end.
   */
  async calculate(metricId: string, options: CalculateOptions = {}): Promise<CalculationResult> {
    const metric = await readMetric(this.context.db, metricId);
    const period = this.period(metric, options);
    return measureMetric(this.context, metric, period, options.force ?? false, this.rule);
  }

  /**
   * Calculates every active metric (see {@link calculate}); metrics that share a type, filters
   * and period share one query for all their aggregations.
   *
   * @throws EngineError VALIDATION_ERROR for a bad window or end.
   */
  async calculateAll(options: Omit<CalculateOptions, never> = {}): Promise<CalculationResult[]> {
    const metrics = await activeMetrics(this.context.db);
    const batch: MeasureBatch = { cache: new Map(), wanted: new Map() };
    const periods = metrics.map((m) => this.period(m, options));
    metrics.forEach((m, i) => {
      if (m.metric_type === 'CUSTOM') return;
      const key = sampleKey(m, periods[i] as Period);
      if (!batch.wanted.has(key)) batch.wanted.set(key, new Set());
      batch.wanted.get(key)?.add(m.aggregation_type);
    });
    const results: CalculationResult[] = [];
    for (const [i, metric] of metrics.entries()) {
      results.push(
        await measureMetric(
          this.context,
          metric,
          periods[i] as Period,
          options.force ?? false,
          this.rule,
          batch,
        ),
      );
    }
    return results;
  }

  /**
   * A page of stored measurements, newest period first.
   *
   * @throws EngineError VALIDATION_ERROR for a bad page or ordering.
   */
  measurements(request: ListRequest<MeasurementListFilters> = {}): Promise<Page<KpiMeasurement>> {
    return listMeasurements(this.context.db, request);
  }

  /**
   * The summary of every active metric over its window ending at the last complete hour (UTC; each
   * line says so in `period_end_basis`), with the trend against the previous window of the same
   * length and whether the target is met (both `null` when there is no value to judge).
   * Reads the hourly rollups, bringing them up to date incrementally first (see {@link KpiSummarizer}).
   */
  summary(): Promise<KpiSummaryItem[]> {
    return this.summarizer.summary();
  }

  private validate(input: MetricCreateInput): MetricDefinition {
    const parsed = metricCreateSchema.safeParse(input);
    if (!parsed.success) throw invalid('invalid KPI metric', zodDetails(parsed.error.issues));
    if (parsed.data.metric_type === 'CUSTOM') parseFormula(parsed.data.calculation_formula ?? '');
    return parsed.data;
  }

  private assertChangeable(metric: StoredMetric, verb: string): void {
    assertMetricChangeable(metric, verb); // the policy's rule: system metrics are immutable
  }

  private period(metric: StoredMetric, options: CalculateOptions): Period {
    const hours = options.windowHours ?? metric.time_window_hours;
    if (!Number.isInteger(hours) || hours < 1 || hours > maxWindowHours) {
      throw invalid(`time window must be a whole number of hours from 1 to ${maxWindowHours}`, {
        field: 'time_window_hours',
        value: hours,
      });
    }
    const end = options.end ?? new Date(Math.floor(this.context.now().getTime() / hourMs) * hourMs);
    if (Number.isNaN(end.getTime())) throw invalid('end is not a valid date', { field: 'end' });
    return { start: new Date(end.getTime() - hours * hourMs), end };
  }
}
