import { createRoute, z } from '@hono/zod-openapi';
import { type Engine, modelStatuses, modelTypes } from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { ApiError } from '../errors.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { JobSchema } from './jobs-schemas.ts';
import {
  NewPredictiveModelSchema,
  PerformanceSchema,
  PredictBody,
  PredictionSchema,
  PredictiveModelPatchSchema,
  PredictiveModelSchema,
  TrainModelBody,
} from './predictive-models-schemas.ts';

const tags = ['predictive-models'];
const filters = { model_type: q.oneOf(modelTypes), status: q.oneOf(modelStatuses) };
const serialize = <T>(record: T) => toJson(record);
type PatchBody = z.infer<typeof PredictiveModelPatchSchema>;
/** `?force=true` on train/, the same as the body's `force`. */
const TrainQuery = z.strictObject({ force: q.boolean() });

/** Drops the keys whose value is `undefined` (the engine's inputs take exact optional properties). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

/**
 * `id`, once its model is known to have a trained version.
 *
 * @throws EngineError NOT_FOUND for no such model; ApiError 409 `MODEL_NOT_TRAINED` for a model
 *   that has never been trained (version "0"): the request is valid, the model has nothing to
 *   show or predict with until `train/` succeeds.
 */
async function trainedModelId(engine: Engine, id: string): Promise<string> {
  const model = await engine.models.get(id);
  if (model.version === '0') {
    throw new ApiError(409, `Predictive model ${id} has not been trained yet (status ${model.status})`, {
      code: 'MODEL_NOT_TRAINED',
      details: { id, status: model.status, error_message: model.error_message },
    });
  }
  return id;
}

/**
 * `/predictive-models/`: the spec's predictive models. List (model_type, status, ordering, search),
 * create (the type and algorithm must fit: a pair that does not is a 400 naming the valid
 * algorithms), detail, change, delete (system models refused), train (202 with the
 * `train_predictive_models` job: follow it at `/api/jobs/{id}/`), performance (the serving
 * version's scores beside a naive baseline) and predict; a model never trained answers those two
 * with 409 `MODEL_NOT_TRAINED`.
 * Anyone may read and predict; analysts and admins create, change, delete and train.
 */
export function predictiveModelRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-models/',
      tags,
      summary: 'List predictive models',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of models',
          content: jsonContent(paginatedSchema(PredictiveModelSchema, 'PredictiveModel')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.models.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/predictive-models/',
      tags,
      summary: 'Create a predictive model (INACTIVE until trained)',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(NewPredictiveModelSchema) } },
      responses: {
        201: { description: 'Created', content: jsonContent(PredictiveModelSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => {
      const createdBy = actorOf(currentPrincipal(c)).userId ?? null;
      const model = await c.var.engine.models.create(defined(c.req.valid('json')), createdBy);
      return c.json(serialize(model), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-models/{id}/',
      tags,
      summary: 'A predictive model',
      request: { params: IdParams },
      responses: {
        200: { description: 'The model', content: jsonContent(PredictiveModelSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.models.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/predictive-models/{id}/',
      tags,
      summary: 'Change some fields of a model; an ACTIVE model keeps serving its version until retrained',
      middleware: [requireAllowed('analyses.write')],
      request: {
        params: IdParams,
        body: { required: true, content: jsonContent(PredictiveModelPatchSchema) },
      },
      responses: {
        200: { description: 'The changed model', content: jsonContent(PredictiveModelSchema) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const patch: PatchBody = c.req.valid('json');
      const model = await c.var.engine.models.update(c.req.valid('param').id, defined(patch));
      return c.json(serialize(model), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/predictive-models/{id}/',
      tags,
      summary: 'Delete a model with its versions (not a system model)',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.models.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/predictive-models/{id}/train/',
      tags,
      summary: 'Train the model as a `train_predictive_models` job: 202 with the job',
      description:
        'The model goes TRAINING (RETRAINING when a version already serves) and then ACTIVE, or ERROR ' +
        'with the reason. Follow the job at `GET /api/jobs/{id}/` (its URL is in `Location`).',
      middleware: [requireAllowed('analyses.write')],
      request: {
        params: IdParams,
        query: TrainQuery,
        body: { required: false, content: jsonContent(TrainModelBody) },
      },
      responses: {
        202: {
          description: 'Queued; follow it at `GET /api/jobs/{id}/` until its status is final',
          headers: {
            Location: { description: 'The job: `/api/jobs/{id}/`', schema: { type: 'string' } },
            'X-Job-Deduplicated': {
              description:
                '`true` when an equal job (same model) was already queued or running and is the one answered',
              schema: { type: 'string', enum: ['true', 'false'] },
            },
          },
          content: jsonContent(JobSchema),
        },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const body = (c.req.valid('json') as z.infer<typeof TrainModelBody> | undefined) ?? {};
      const force = body.force ?? c.req.valid('query').force;
      const id = c.req.valid('param').id;
      const { job, deduplicated } = await c.var.engine.models.train(id, force === undefined ? {} : { force });
      c.header('Location', `/api/jobs/${job.id}/`);
      c.header('X-Job-Deduplicated', String(deduplicated));
      return c.json(toJson(job) as unknown as z.infer<typeof JobSchema>, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-models/{id}/performance/',
      tags,
      summary: "The serving version's scores, per-class or regression metrics, and a naive baseline's",
      description:
        'A model that has never been trained (version "0") answers 409 with code `MODEL_NOT_TRAINED`: ' +
        'the request is valid but the model has nothing to show until `train/` succeeds.',
      request: { params: IdParams },
      responses: {
        200: { description: 'The performance', content: jsonContent(PerformanceSchema) },
        ...errorResponses(404, 409),
      },
    }),
    async (c) => {
      const id = await trainedModelId(c.var.engine, c.req.valid('param').id);
      const performance = await c.var.engine.models.performance(id);
      return c.json(toJson(performance) as unknown as z.infer<typeof PerformanceSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/predictive-models/{id}/predict/',
      tags,
      summary: 'Predict with the serving version: incident fields, stored incidents, or a forecast horizon',
      description:
        'Classifiers answer a label with class probabilities per incident, regressors a value with an ' +
        'interval, INCIDENT_PREDICTION models a forecast per group. A model never trained: 409 `MODEL_NOT_TRAINED`.',
      request: { params: IdParams, body: { required: true, content: jsonContent(PredictBody) } },
      responses: {
        200: { description: 'The prediction', content: jsonContent(PredictionSchema) },
        ...errorResponses(400, 404, 409),
      },
    }),
    async (c) => {
      const prediction = await c.var.engine.models.predict(
        await trainedModelId(c.var.engine, c.req.valid('param').id),
        defined(c.req.valid('json')),
      );
      return c.json(toJson(prediction) as unknown as z.infer<typeof PredictionSchema>, 200);
    },
  );
  return app;
}
