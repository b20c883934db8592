import { createRoute, z } from '@hono/zod-openapi';
import { assertAllowed, EngineError, isEngineError, type Job, jobStatuses } from '@incident-insights/engine';
import type { Context, MiddlewareHandler } from 'hono';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import type { AppEnv } from '../env.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { JobKindSchema, JobSchema, NewJobSchema, ScheduleSchema } from './jobs-schemas.ts';

const tags = ['jobs'];
type JobJson = z.infer<typeof JobSchema>;
/** A job as JSON (the engine's records are read-only; the body is a copy). */
const serialize = (job: Job): JobJson => toJson(job) as unknown as JobJson;

/** Headers of a 202: where to follow the job, and whether an equal job already queued was answered. */
const acceptedHeaders = {
  Location: { description: 'The job: `/api/jobs/{id}/`', schema: { type: 'string' as const } },
  'X-Job-Deduplicated': {
    description:
      '`true` when an equal job (same kind and scope) was already queued or running and is the one answered',
    schema: { type: 'string' as const, enum: ['true', 'false'] },
  },
};

/** The 202 response of every route that queues a job. */
const acceptedJob = {
  description:
    'Queued (or an equal job already queued or running); follow it at `GET /api/jobs/{id}/` until its status is final',
  headers: acceptedHeaders,
  content: jsonContent(JobSchema),
};

/** Sets the headers of the 202 answering a job just submitted (`Location`, `X-Job-Deduplicated`) and returns the job. */
function accepted(c: Context<AppEnv>, submitted: { job: Job; deduplicated: boolean }): JobJson {
  c.header('Location', `/api/jobs/${submitted.job.id}/`);
  c.header('X-Job-Deduplicated', String(submitted.deduplicated));
  return serialize(submitted.job);
}

/**
 * Route middleware refusing (403) a caller the engine's policy does not allow to ask for jobs of
 * `kind` (the kind's own action), before the body is read.
 */
function requireKindAllowed(kind: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const known = c.var.engine.jobs.kinds().find((k) => k.kind === kind);
    if (known) assertAllowed(actorOf(currentPrincipal(c)), known.action);
    await next();
  };
}

/**
 * Submits a job and returns it for the 202, its headers set (see {@link accepted}). The engine's
 * errors are answered as they are (the command line beside the server then reports exactly what
 * it reports alone), except for the actions, whose body is the parameters (`bodyIsParameters`): a
 * validation error of theirs names the fields as in the body (`metric_id`, not
 * `parameters.metric_id`), as the router names a bad body field.
 */
async function submit(
  c: Context<AppEnv>,
  request: { kind: string; parameters?: unknown },
  bodyIsParameters: boolean,
): Promise<JobJson> {
  try {
    return accepted(c, await c.var.engine.jobs.submit(request));
  } catch (error) {
    if (bodyIsParameters && isEngineError(error) && error.code === 'VALIDATION_ERROR')
      throw namedAsInBody(error);
    throw error;
  }
}

const parameterPrefix = /^parameters\./;

/** The same validation error with its fields named as in the body, the first one in the message. */
function namedAsInBody(error: EngineError): EngineError {
  const details = error.details as { errors?: unknown } | null | undefined;
  if (!details || !Array.isArray(details.errors) || details.errors.length === 0) return error;
  const errors = (details.errors as { field?: unknown; message?: unknown }[]).map((e) =>
    typeof e.field === 'string' ? { ...e, field: e.field.replace(parameterPrefix, '') } : e,
  );
  const first = errors[0] as { field?: unknown; message?: unknown };
  const message =
    typeof first.field === 'string' && typeof first.message === 'string'
      ? first.message === 'unknown field'
        ? `Unknown field ${first.field}`
        : `Invalid field ${first.field}: ${first.message}`
      : error.message;
  return new EngineError(error.code, message, { ...details, errors }, { cause: error });
}

/** What {@link registerJobAction} needs: the route's path, tag and summary, the kind and its body. */
interface JobAction {
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly kind: string;
  readonly body: z.ZodObject;
}

/**
 * Declares a 202 action of an analytics resource (`POST /kpi-metrics/calculate/`, ...): its body
 * is the parameters of a job of `kind`, queued as `POST /api/jobs/` would, and the answer is the
 * job. Register it before the resource's `{id}` routes, so that its last segment is never read as
 * an id.
 */
export function registerJobAction(app: ReturnType<typeof createRouter>, action: JobAction): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: action.path,
      tags: [action.tag],
      summary: action.summary,
      description: `Queues a \`${action.kind}\` job (see \`/api/jobs/\`) and answers 202 with it.`,
      middleware: [requireKindAllowed(action.kind)],
      request: { body: { required: false, content: jsonContent(action.body) } },
      responses: { 202: acceptedJob, ...errorResponses(400, 403) },
    }),
    async (c) =>
      c.json(await submit(c, { kind: action.kind, parameters: c.req.valid('json') ?? {} }, true), 202),
  );
}

/**
 * `/jobs/`: the batch operations of the engine as jobs. List (kind, status), one job with its
 * progress, queue one (202; an equal job queued or running is answered instead), cancel, the kinds
 * and the schedules. Anyone may read; asking for a job needs its kind's action (analysts and
 * admins for the analyses), cancelling needs `analyses.write`.
 */
export function jobRoutes() {
  const app = createRouter();

  // Fixed sub-paths before /jobs/{id}/.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/kinds/',
      tags,
      summary: 'The kinds of job, with the permission each needs',
      responses: { 200: { description: 'Every kind', content: jsonContent(z.array(JobKindSchema)) } },
    }),
    (c) =>
      c.json(
        c.var.engine.jobs.kinds().map((k) => ({ ...k })),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/schedules/',
      tags,
      summary: "The server's schedules: each kind, period, last and next run",
      responses: {
        200: { description: 'Every schedule', content: jsonContent(z.array(ScheduleSchema)) },
      },
    }),
    async (c) => {
      const schedules = toJson(await c.var.engine.jobs.schedules());
      return c.json(schedules as unknown as z.infer<typeof ScheduleSchema>[], 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/',
      tags,
      summary: 'List jobs, newest first',
      request: { query: listQuery({ kind: q.text(), status: q.oneOf(jobStatuses) }) },
      responses: {
        200: { description: 'A page of jobs', content: jsonContent(paginatedSchema(JobSchema, 'Job')) },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      if (query.kind !== undefined) checkKind(c, query.kind);
      const page = await c.var.engine.jobs.list(toListRequest(query));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/jobs/',
      tags,
      summary: 'Queue a job (202); an equal job already queued or running is answered instead',
      request: { body: { required: true, content: jsonContent(NewJobSchema) } },
      responses: { 202: acceptedJob, ...errorResponses(400, 403) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const request = {
        kind: body.kind,
        ...(body.parameters === undefined ? {} : { parameters: body.parameters }),
      };
      return c.json(await submit(c, request, false), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}/',
      tags,
      summary: 'A job, with its progress, result or error',
      request: { params: IdParams },
      responses: { 200: { description: 'The job', content: jsonContent(JobSchema) }, ...errorResponses(404) },
    }),
    async (c) => c.json(serialize(await c.var.engine.jobs.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/jobs/{id}/cancel/',
      tags,
      summary:
        'Cancel a job: a queued one at once, a running one at its next safe point (cancel_requested until then)',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: {
        200: { description: 'The job after the request', content: jsonContent(JobSchema) },
        ...errorResponses(403, 404, 409),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.jobs.cancel(c.req.valid('param').id)), 200),
  );
  return app;
}

/**
 * Refuses a `kind` filter naming no kind (400 listing the kinds), as a filter that can match
 * nothing is a typo, not a question.
 */
function checkKind(c: Context<AppEnv>, kind: string): void {
  const kinds = c.var.engine.jobs.kinds().map((k) => k.kind);
  if (kinds.includes(kind)) return;
  throw new EngineError(
    'VALIDATION_ERROR',
    `Invalid query parameter kind: must be one of ${kinds.join(', ')}`,
    {
      parameter: 'kind',
      errors: [{ field: 'kind', message: `must be one of ${kinds.join(', ')}` }],
      accepted: kinds,
    },
  );
}
