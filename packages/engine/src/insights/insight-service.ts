import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { type CleanupOptions, type CleanupResult, cleanup } from './cleanup.ts';
import {
  draftsOf,
  type GenerationSettings,
  type InsightModelSource,
  servingModels,
  writeDrafts,
} from './insight-generation.ts';
import { type InsightOptions, resolveInsightOptions } from './insight-options.ts';
import {
  checkInsightFilters,
  type InsightListFilters,
  insightListSpec,
  insightSelect,
  type PredictiveInsightRecord,
  toInsightRecord,
} from './insight-record.ts';
import { validateDue } from './insight-validation.ts';

/** The spec's insight summary, exactly its fields. */
export interface InsightSummary {
  /** Every stored insight, expired ones included. */
  total_insights: number;
  high_confidence_insights: number;
  medium_confidence_insights: number;
  low_confidence_insights: number;
  acknowledged_insights: number;
  validated_insights: number;
  /** Insights whose `expires_at` is at or before now. */
  expired_insights: number;
  /** Mean accuracy of the validated insights with an accuracy, two decimals ("0.85"); `null` if none. */
  average_accuracy: string | null;
  /** Models with status ACTIVE. */
  active_models: number;
}

/** What one generation did. */
export interface GenerateInsightsResult {
  /** Insights created. */
  created: number;
  /** Insights validated first (their window had ended). */
  validated: number;
  /** Insights created, by insight type. */
  byType: Record<string, number>;
  /** Live risk insights that took in newly risky incidents. */
  updated: number;
  /** Serving models looked at. */
  models: number;
  /** What could not be said, one sentence each (a model that failed to predict, a forecast too short). */
  notes: string[];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Predictive insights (`engine.insights`): what the serving models foresee, in words for a manager
 * and in numbers, checked against what happened once their window ends. Generation asks the
 * models capability (`engine.models`) for predictions; see the insights README.
 */
export class InsightService {
  private readonly settings: GenerationSettings;

  constructor(
    private readonly context: EngineContext,
    options?: InsightOptions,
  ) {
    this.settings = resolveInsightOptions(options);
  }

  /**
   * One page of insights. Filters: `insight_type`, `confidence_level`, `is_acknowledged`,
   * `is_validated`, `include_expired` (default false: insights whose `expires_at` has passed are
   * left out); `search` in title and description; newest first by default.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown filter, value or ordering; NOT_FOUND for a
   *   page past the end.
   */
  async list(request: ListRequest<InsightListFilters> = {}): Promise<Page<PredictiveInsightRecord>> {
    const now = this.context.now();
    const { filters, includeExpired } = checkInsightFilters(request.filters ?? {});
    return listPage(this.context.db, insightListSpec(now, includeExpired), { ...request, filters }, (row) =>
      toInsightRecord(row, now),
    );
  }

  /**
   * One insight by id, expired or not.
   *
   * @throws EngineError NOT_FOUND when there is none (or the id is not a UUID).
   */
  async get(id: string): Promise<PredictiveInsightRecord> {
    if (!uuidPattern.test(id)) throw notFound('predictive insight', id);
    const row = await this.context.db.one(
      `SELECT ${insightSelect} FROM predictive_insights WHERE id = $id::UUID`,
      {
        id,
      },
    );
    if (!row) throw notFound('predictive insight', id);
    return toInsightRecord(row, this.context.now());
  }

  /**
   * Marks an insight acknowledged now by `userId` (`null`: the system, nobody to record).
   *
   * @throws EngineError NOT_FOUND; CONFLICT when it is already acknowledged; VALIDATION_ERROR when
   *   `userId` is not a UUID.
   */
  async acknowledge(id: string, userId: string | null): Promise<PredictiveInsightRecord> {
    if (userId !== null && !uuidPattern.test(String(userId))) {
      throw new EngineError('VALIDATION_ERROR', 'acknowledged_by must be a user id (UUID)', {
        parameter: 'acknowledged_by',
      });
    }
    if (!uuidPattern.test(id)) throw notFound('predictive insight', id);
    const now = this.context.now();
    await this.context.db.transaction(async (tx) => {
      const row = await tx.one(
        'SELECT is_acknowledged, acknowledged_at FROM predictive_insights WHERE id = $id::UUID',
        { id },
      );
      if (!row) throw notFound('predictive insight', id);
      if (row['is_acknowledged']) {
        throw new EngineError('CONFLICT', `predictive insight ${id} is already acknowledged`, {
          id,
          acknowledged_at: row['acknowledged_at'],
        });
      }
      await tx.run(
        `UPDATE predictive_insights SET is_acknowledged = true, acknowledged_by = $by::UUID, acknowledged_at = $now
         WHERE id = $id::UUID`,
        { id, by: userId, now },
      );
    });
    return this.get(id);
  }

  /** The spec's summary over every stored insight at the engine's clock; see {@link InsightSummary}. */
  async summary(): Promise<InsightSummary> {
    const now = this.context.now();
    const row = await this.context.db.one(
      `SELECT count(*) AS total,
         count(*) FILTER (confidence_level = 'HIGH') AS high,
         count(*) FILTER (confidence_level = 'MEDIUM') AS medium,
         count(*) FILTER (confidence_level = 'LOW') AS low,
         count(*) FILTER (is_acknowledged) AS acknowledged,
         count(*) FILTER (is_validated) AS validated,
         count(*) FILTER (expires_at IS NOT NULL AND expires_at <= $now) AS expired,
         avg(accuracy) FILTER (is_validated AND accuracy IS NOT NULL) AS accuracy,
         (SELECT count(*) FROM predictive_models WHERE status = 'ACTIVE') AS active_models
       FROM predictive_insights`,
      { now },
    );
    const n = (name: string) => Number(row?.[name] ?? 0);
    const accuracy = row?.['accuracy'];
    return {
      total_insights: n('total'),
      high_confidence_insights: n('high'),
      medium_confidence_insights: n('medium'),
      low_confidence_insights: n('low'),
      acknowledged_insights: n('acknowledged'),
      validated_insights: n('validated'),
      expired_insights: n('expired'),
      average_accuracy: accuracy === null || accuracy === undefined ? null : Number(accuracy).toFixed(2),
      active_models: n('active_models'),
    };
  }

  /**
   * Validates the insights whose window has ended, then makes the insights of every serving model
   * (or of `modelId` alone) at `now` (default the engine's clock). Idempotent: a model, version
   * and window already covered creates nothing new. A model that fails to predict is noted and
   * the others go on.
   *
   * @throws EngineError NOT_FOUND for an unknown `modelId`; CONFLICT when that model does not serve.
   */
  async generate(options: { now?: Date; modelId?: string } = {}): Promise<GenerateInsightsResult> {
    const now = options.now ?? this.context.now();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new EngineError('VALIDATION_ERROR', 'now must be a valid date', { parameter: 'now' });
    }
    const models = await servingModels(this.context.db, options.modelId);
    const validated = await validateDue(this.context.db, now);
    const source = this.context.services['models'] as InsightModelSource | undefined;
    const result: GenerateInsightsResult = {
      created: 0,
      validated,
      byType: {},
      updated: 0,
      models: models.length,
      notes: [],
    };
    for (const model of models) {
      try {
        const { drafts, notes } = await draftsOf(this.context.db, source, model, now, this.settings);
        result.notes.push(...notes);
        const written = await writeDrafts(this.context.db, model, drafts, now);
        result.created += written.created.length;
        result.updated += written.updated;
        for (const draft of written.created) result.byType[draft.type] = (result.byType[draft.type] ?? 0) + 1;
      } catch (error) {
        if (options.modelId !== undefined) throw error;
        const message = error instanceof Error ? error.message : String(error);
        result.notes.push(`${model.name}: no insights (${message})`);
      }
    }
    return result;
  }

  /**
   * Validates the insights whose window ended at or before `now` (default the engine's clock).
   *
   * @returns how many were validated.
   */
  validateDue(now?: Date): Promise<number> {
    return validateDue(this.context.db, now ?? this.context.now());
  }

  /**
   * Deletes insights expired more than `expiredInsightsDays` (default 30) days ago and KPI
   * measurements older than `measurementsOlderThanDays` (default 365) days, in one transaction.
   *
   * @throws EngineError VALIDATION_ERROR for a day count that is not a whole number from 1.
   */
  cleanup(options: CleanupOptions = {}): Promise<CleanupResult> {
    return cleanup(this.context.db, this.context.now(), options);
  }
}
