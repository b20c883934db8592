import { z } from 'zod';
import { EngineError } from '../errors.ts';
import { toJsonValue } from '../jobs/job-errors.ts';
import { defineJobKind, serviceOf, throwIfAborted } from '../jobs/job-kind-helpers.ts';
import type { ModelService } from './model-service.ts';

const trainParameters = z
  .object({
    model_id: z.uuid().optional(),
    force: z.boolean().optional(),
  })
  .strict();

/**
 * `train_predictive_models`: the spec's management command. With `model_id`, trains that model
 * (a failed training fails the job with the training's error code: INSUFFICIENT_DATA, ...; the
 * model shows it in `error_message`); without, trains every model that is due, or every
 * non-system model with `force` (failures are listed in the result, the job succeeds). Result:
 * `{ outcomes: TrainingOutcome[] }`. Serve's default schedules run it daily (due models only).
 */
export const trainPredictiveModelsJob = defineJobKind({
  kind: 'train_predictive_models',
  description:
    'Train one predictive model, or every model that is due (all with force), and store a new version of each.',
  parameters: trainParameters,
  action: 'analyses.write',
  scope: (p) => `model=${p.model_id ?? 'due'};force=${p.force === true}`,
  onInterrupted: 'requeue',
  maxAttempts: 1,
  run: async (context) => {
    const models = serviceOf<ModelService>(context, 'models');
    const p = context.parameters;
    throwIfAborted(context);
    const options = {
      signal: context.signal,
      jobId: context.jobId,
      progress: (update: { done: number; total: number; message: string }) => context.progress(update),
      ...(p.force === undefined ? {} : { force: p.force }),
    };
    if (p.model_id !== undefined) {
      context.progress({ done: 0, total: 4, message: 'training' });
      const outcome = await models.trainNow(p.model_id, options);
      if (outcome.error) {
        throw new EngineError(outcome.error.code as 'INSUFFICIENT_DATA', outcome.error.message, {
          model_id: outcome.model_id,
          status: outcome.status,
          version: outcome.version,
        });
      }
      context.progress({ done: 4, total: 4, message: `${outcome.name}: version ${outcome.version}` });
      return toJsonValue({ outcomes: [outcome] });
    }
    context.progress({ done: 0, total: null, message: 'training the models that are due' });
    const outcomes = await models.trainDue(options);
    context.progress({
      done: outcomes.length,
      total: outcomes.length,
      message: `${outcomes.length} models trained`,
    });
    return toJsonValue({ outcomes });
  },
});

const scoreParameters = z.object({ limit: z.number().int().min(1).max(100_000).optional() }).strict();

/**
 * `score_incidents`: stores the predictions of the ACTIVE severity, escalation and resolution-time
 * models on the incidents that have none of the model's kind yet, newest first, at most `limit`
 * (default 5,000) per model. Serve's default schedules run it every 5 minutes, so incidents are
 * scored shortly after ingestion without slowing the write itself.
 */
export const scoreIncidentsJob = defineJobKind({
  kind: 'score_incidents',
  description:
    'Store severity, escalation and resolution-time predictions of the active models on incidents that have none yet.',
  parameters: scoreParameters,
  action: 'analyses.write',
  scope: () => 'pending',
  onInterrupted: 'requeue',
  run: async (context) => {
    const models = serviceOf<ModelService>(context, 'models');
    throwIfAborted(context);
    const result = await models.scorePending(context.parameters.limit ?? 5000);
    context.progress({ done: 1, total: 1, message: `${result.scored} predictions stored` });
    return toJsonValue(result);
  },
});
