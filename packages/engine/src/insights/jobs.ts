import { z } from 'zod';
import { toJsonValue } from '../jobs/job-errors.ts';
import { defineJobKind, serviceOf, throwIfAborted } from '../jobs/job-kind-helpers.ts';
import { maxRetentionDays } from './cleanup.ts';
import type { InsightService } from './insight-service.ts';

const generateParameters = z.object({ model_id: z.uuid().optional() }).strict();

/**
 * `generate_insights`: validates the insights whose window has ended, then makes the insights of
 * every serving model (or of `model_id`). Idempotent per model, version and window, so the server's
 * hourly schedule and a re-run after a crash write each insight once. Result: the
 * `GenerateInsightsResult` (created, validated, by_type, updated, models, notes).
 */
export const generateInsightsJob = defineJobKind({
  kind: 'generate_insights',
  description: 'Validate the insights whose window ended and make new ones from every active model.',
  parameters: generateParameters,
  action: 'analyses.write',
  scope: (p) => `model=${p.model_id ?? 'all'}`,
  onInterrupted: 'requeue',
  run: async (context) => {
    const insights = serviceOf<InsightService>(context, 'insights');
    throwIfAborted(context);
    context.progress({ done: 0, total: 1, message: 'generating insights' });
    const result = await insights.generate({
      now: context.now(),
      ...(context.parameters.model_id === undefined ? {} : { modelId: context.parameters.model_id }),
    });
    context.progress({
      done: 1,
      total: 1,
      message: `${result.created} insights created, ${result.validated} validated`,
    });
    return toJsonValue({
      created: result.created,
      validated: result.validated,
      by_type: result.byType,
      updated: result.updated,
      models: result.models,
      notes: result.notes,
    });
  },
});

const days = z.number().int().min(1).max(maxRetentionDays);
const cleanupParameters = z
  .object({
    expired_insights_days: days.optional(),
    measurements_older_than_days: days.optional(),
    finished_jobs_older_than_days: days.optional(),
  })
  .strict();

/**
 * `cleanup`: the spec's regular cleanup: deletes insights expired more than
 * `expired_insights_days` (default 30) days ago and KPI measurements older than
 * `measurements_older_than_days` (default 365) days and job records finished more than
 * `finished_jobs_older_than_days` (default 30) days ago, in one transaction. Result:
 * `{ insights_deleted, measurements_deleted, jobs_deleted }`.
 */
export const cleanupJob = defineJobKind({
  kind: 'cleanup',
  description: 'Delete expired predictive insights, old KPI measurements and old job records.',
  parameters: cleanupParameters,
  action: 'analyses.write',
  scope: () => 'all',
  onInterrupted: 'requeue',
  run: async (context) => {
    const insights = serviceOf<InsightService>(context, 'insights');
    throwIfAborted(context);
    const p = context.parameters;
    const result = await insights.cleanup({
      ...(p.expired_insights_days === undefined ? {} : { expiredInsightsDays: p.expired_insights_days }),
      ...(p.measurements_older_than_days === undefined
        ? {}
        : { measurementsOlderThanDays: p.measurements_older_than_days }),
      ...(p.finished_jobs_older_than_days === undefined
        ? {}
        : { finishedJobsOlderThanDays: p.finished_jobs_older_than_days }),
    });
    context.progress({
      done: 1,
      total: 1,
      message: `${result.insights_deleted} insights, ${result.measurements_deleted} measurements and ${result.jobs_deleted} job records deleted`,
    });
    return toJsonValue(result);
  },
});
