import type { Actor } from '../auth/policy.ts';
import type { ActorAware } from '../auth/scoped-services.ts';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import type { JobService } from '../jobs/job-service.ts';
import type { Job } from '../jobs/job-types.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { readAnomalyReviews, systemModelReport, withAnomalyReviews } from './anomaly-reviews.ts';
import type { ForecastPrediction } from './forecasters.ts';
import { loadLearners, type ModelLearners } from './model-learners.ts';
import {
  servingVersion,
  type TrainingOutcome,
  type TrainNowOptions,
  trainAndStore,
} from './model-lifecycle.ts';
import type { ModelPerformance, ModelPerformanceReport } from './model-performance.ts';
import {
  forecastWithModel,
  type ModelPrediction,
  type PredictRequest,
  predictWithModel,
} from './model-prediction.ts';
import {
  type ModelListFilters,
  modelListSpec,
  modelSelect,
  type PredictiveModelRecord,
  toModelRecord,
} from './model-record.ts';
import { checkFilters, insertModel, updateModel } from './model-rows.ts';
import {
  type CreateModelInput,
  checkDefinition,
  parseCreate,
  parseUpdate,
  trainingFields,
  type UpdateModelInput,
} from './model-schema.ts';
import {
  type IncidentPrediction,
  predictionTypes,
  readPredictions,
  scoreWith,
  scoringModels,
  unscoredIncidents,
} from './model-scoring.ts';
import { readPerformance } from './model-store.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Predictive models (`engine.models`): the spec's CRUD, training as jobs (`train_predictive_models`)
 * with a time-split evaluation against a naive baseline, versions that survive restarts,
 * predictions for incident fields, stored incidents and count forecasts, and the predictions stored
 * on incidents (`score_incidents`). See the models README.
 */
export class ModelService implements ActorAware<ModelService> {
  readonly #context: EngineContext;
  readonly #givenLearners: ModelLearners | undefined;
  readonly #learners: () => Promise<ModelLearners>;
  readonly #actor: Actor | undefined;

  /**
   * `learners` replaces the learning library and feature layer (tests); default {@link loadLearners}.
   * `actor` is who the training jobs it queues are asked for (see {@link withActor}).
   */
  constructor(context: EngineContext, learners?: ModelLearners, actor?: Actor) {
    this.#context = context;
    this.#givenLearners = learners;
    this.#learners = learners ? () => Promise.resolve(learners) : loadLearners;
    this.#actor = actor;
  }

  /** This service acting for `actor`: the training jobs it queues record who asked. */
  withActor(actor: Actor): ModelService {
    return new ModelService(this.#context, this.#givenLearners, actor);
  }

  /** One page of models; filters `model_type`, `status`. @throws EngineError VALIDATION_ERROR. */
  async list(request: ListRequest<ModelListFilters> = {}): Promise<Page<PredictiveModelRecord>> {
    return listPage(
      this.#context.db,
      modelListSpec,
      { ...request, filters: checkFilters(request.filters ?? {}) },
      toModelRecord,
    );
  }

  /** @throws EngineError NOT_FOUND. */
  async get(id: string): Promise<PredictiveModelRecord> {
    if (!uuidPattern.test(String(id))) throw notFound('predictive model', String(id));
    const row = await this.#context.db.one(
      `SELECT ${modelSelect} FROM predictive_models WHERE id = $id::UUID`,
      { id },
    );
    if (!row) throw notFound('predictive model', id);
    return toModelRecord(row);
  }

  /**
   * Creates a model (status INACTIVE, version "0" until trained).
   *
   * @throws EngineError VALIDATION_ERROR naming each bad field: unknown fields, a model type and
   *   algorithm that do not fit (naming the valid algorithms), unknown features, a wrong target,
   *   a bad configuration.
   */
  async create(input: CreateModelInput, createdBy: string | null = null): Promise<PredictiveModelRecord> {
    const definition = parseCreate(input, await this.#learners());
    const id = crypto.randomUUID();
    await insertModel(this.#context.db, id, definition, createdBy, this.#context.now());
    return this.get(id);
  }

  /**
   * Changes a model. A change of what training reads (type, algorithm, configuration, features,
   * target, window, minimum samples) on a trained model keeps it serving its old version and marks
   * it due for retraining. `status` ACTIVE needs a trained version; neither status while training.
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR; CONFLICT for a status it cannot take now.
   */
  async update(id: string, patch: UpdateModelInput): Promise<PredictiveModelRecord> {
    const current = await this.get(id);
    const { patch: changes, status } = parseUpdate(patch);
    const merged = { ...current, ...changes };
    const retrains = trainingFields.some(
      (f) =>
        f in changes &&
        JSON.stringify(changes[f]) !== JSON.stringify(current[f as keyof PredictiveModelRecord]),
    );
    const definition = retrains ? checkDefinition(merged, await this.#learners()) : merged;
    if (status !== undefined) {
      if (current.status === 'TRAINING' || current.status === 'RETRAINING') {
        throw new EngineError(
          'CONFLICT',
          `model ${id} is training; change its status once the training ends`,
          { status: current.status },
        );
      }
      if (status === 'ACTIVE' && servingVersion(current) === 0) {
        throw new EngineError('CONFLICT', `model ${id} has no trained version to serve; train it first`, {
          version: current.version,
        });
      }
    }
    await updateModel(this.#context.db, id, definition, {
      status,
      retrainDue: retrains && servingVersion(current) > 0,
      now: this.#context.now(),
    });
    return this.get(id);
  }

  /**
   * Deletes a model, its versions and its stored predictions.
   *
   * @throws EngineError NOT_FOUND; FORBIDDEN for a system model; CONFLICT while it trains.
   */
  async delete(id: string): Promise<void> {
    const model = await this.get(id);
    if (model.is_system_model) {
      throw new EngineError('FORBIDDEN', `system model ${model.name} cannot be deleted`, { id });
    }
    if (model.status === 'TRAINING' || model.status === 'RETRAINING') {
      throw new EngineError('CONFLICT', `model ${id} is training; delete it once the training ends`, {
        status: model.status,
      });
    }
    await this.#context.db.transaction(async (tx) => {
      for (const table of ['incident_predictions', 'predictive_model_versions']) {
        await tx.run(`DELETE FROM ${table} WHERE model_id = $id::UUID`, { id });
      }
      await tx.run('DELETE FROM predictive_models WHERE id = $id::UUID', { id });
    });
  }

  /**
   * Queues `train_predictive_models` for this model, asked for by this service's actor, or joins
   * the equal job already queued or running (`deduplicated`). `force` as the job's parameter
   * (absent: the job's default). @throws NOT_FOUND; FORBIDDEN when the actor may not train.
   */
  async train(id: string, options: { force?: boolean } = {}): Promise<{ job: Job; deduplicated: boolean }> {
    await this.get(id);
    const jobs = this.#context.services['jobs'] as JobService;
    return (this.#actor ? jobs.withActor(this.#actor) : jobs).submit({
      kind: 'train_predictive_models',
      parameters: { model_id: id, ...(options.force === undefined ? {} : { force: options.force }) },
    });
  }

  /** Trains one model now, in this process (what the job runs). @throws NOT_FOUND; CANCELLED. */
  async trainNow(id: string, options: TrainNowOptions & { force?: boolean } = {}): Promise<TrainingOutcome> {
    const model = await this.get(id);
    return trainAndStore(this.#context, await this.#learners(), model, options);
  }

  /**
   * Trains every model that is due: never trained (not ERROR), marked due by a configuration
   * change, or with `auto_retrain_enabled` and either `retrain_frequency_days` passed since the
   * last training or a live accuracy below `performance_threshold`. With `force`, every model but
   * the system ones.
   */
  async trainDue(options: TrainNowOptions & { force?: boolean } = {}): Promise<TrainingOutcome[]> {
    const now = this.#context.now();
    const rows = await this.#context.db.all(
      `SELECT ${modelSelect} FROM predictive_models WHERE NOT is_system_model ORDER BY created_at, id`,
    );
    const outcomes: TrainingOutcome[] = [];
    for (const model of rows.map(toModelRecord)) {
      if (!options.force && !(await this.#isDue(model, now))) continue;
      outcomes.push(await trainAndStore(this.#context, await this.#learners(), model, options));
    }
    return outcomes;
  }

  async #isDue(model: PredictiveModelRecord, now: Date): Promise<boolean> {
    const row = await this.#context.db.one(
      'SELECT coalesce(retrain_due, false) AS due FROM predictive_models WHERE id = $id::UUID',
      { id: model.id },
    );
    if (row?.['due']) return true;
    if (servingVersion(model) === 0) return model.status !== 'ERROR';
    if (!model.auto_retrain_enabled) return false;
    const last = model.last_trained_at ? Date.parse(model.last_trained_at) : 0;
    if (now.getTime() - last >= model.retrain_frequency_days * 86_400_000) return true;
    const live = await this.liveAccuracy(model.id);
    return live.accuracy !== null && live.accuracy < model.performance_threshold;
  }

  /**
   * The serving version's evaluation, baseline and live accuracy. An anomaly model's report adds
   * the reviews of the anomalies it stored; the system anomaly model, configured rather than
   * trained, reports those reviews alone.
   *
   * @throws EngineError NOT_FOUND (also when never trained).
   */
  async performance(id: string): Promise<ModelPerformance> {
    const model = await this.get(id);
    const version = servingVersion(model);
    const anomalyModel = model.model_type === 'ANOMALY_DETECTION';
    const reviews = anomalyModel ? await readAnomalyReviews(this.#context.db, id) : null;
    let report: ModelPerformanceReport;
    if (model.is_system_model && reviews) report = systemModelReport(model, reviews);
    else if (version === 0)
      throw new EngineError('NOT_FOUND', `model ${id} has not been trained yet`, {
        id,
        status: model.status,
      });
    else {
      const stored = await readPerformance(this.#context.db, id, version);
      report = reviews ? withAnomalyReviews(stored, reviews) : stored;
    }
    const live = await this.liveAccuracy(id);
    return {
      model_id: id,
      version: model.version,
      model_type: model.model_type,
      algorithm_type: model.algorithm_type,
      ...report,
      live_accuracy: { accuracy: live.accuracy, validated_insights: live.validated },
    };
  }

  /**
   * Predicts with the serving version: for incident fields (`incidents`), stored incidents
   * (`incident_ids`), or, for INCIDENT_PREDICTION, counts `horizon` periods ahead (default the
   * model's) for every group or `group`.
   *
   * @throws EngineError NOT_FOUND (model, never trained, unknown group); VALIDATION_ERROR for a
   *   request that does not fit the model; UNSUPPORTED for an anomaly model (run anomaly detection
   *   with its id).
   */
  async predict(id: string, input: PredictRequest): Promise<ModelPrediction> {
    const model = await this.#serving(id);
    return predictWithModel(this.#context, await this.#learners(), model, input);
  }

  /** INCIDENT_PREDICTION: `horizon` periods ahead per group. @throws as {@link predict}. */
  async forecastCounts(id: string, horizon: number): Promise<ForecastPrediction[]> {
    const model = await this.#serving(id);
    if (model.model_type !== 'INCIDENT_PREDICTION') {
      throw new EngineError(
        'VALIDATION_ERROR',
        `model ${id} is a ${model.model_type} model, not INCIDENT_PREDICTION`,
        { field: 'model_id' },
      );
    }
    return forecastWithModel(this.#context, await this.#learners(), model, horizon);
  }

  async #serving(id: string): Promise<PredictiveModelRecord> {
    const model = await this.get(id);
    if (servingVersion(model) === 0)
      throw new EngineError('NOT_FOUND', `model ${id} has not been trained yet`, {
        id,
        status: model.status,
      });
    return model;
  }

  /** Stores predictions of the ACTIVE severity, escalation and resolution-time models for `ids`; returns how many. */
  async scoreIncidents(ids: readonly string[]): Promise<number> {
    const wanted = ids.filter((id) => uuidPattern.test(String(id)));
    let stored = 0;
    for (const model of await scoringModels(this.#context))
      stored += await scoreWith(this.#context, await this.#learners(), model, wanted);
    return stored;
  }

  /** Scores up to `limit` incidents (newest first) per scoring model that have no prediction of its type yet. */
  async scorePending(limit = 5000): Promise<{ scored: number; models: number }> {
    const models = await scoringModels(this.#context);
    let scored = 0;
    for (const model of models) {
      const ids = await unscoredIncidents(this.#context, predictionTypes[model.model_type] as string, limit);
      scored += await scoreWith(this.#context, await this.#learners(), model, ids);
    }
    return { scored, models: models.length };
  }

  /** The stored predictions of incidents `ids`: by incident id, then `severity` / `escalation` / `resolution_time`. */
  async predictionsFor(ids: readonly string[]): Promise<Record<string, Record<string, IncidentPrediction>>> {
    return readPredictions(
      this.#context,
      ids.filter((id) => uuidPattern.test(String(id))),
    );
  }

  /** Mean accuracy of the model's validated insights (null when none is validated yet). */
  async liveAccuracy(id: string): Promise<{ accuracy: number | null; validated: number }> {
    const row = await this.#context.db.one(
      `SELECT avg(accuracy) AS accuracy, count(accuracy)::INTEGER AS n FROM predictive_insights
       WHERE model_id = $id::UUID AND is_validated`,
      { id },
    );
    const n = Number(row?.['n'] ?? 0);
    return { accuracy: n > 0 ? Number(row?.['accuracy']) : null, validated: n };
  }
}
