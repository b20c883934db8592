import { createRoute, z } from '@hono/zod-openapi';
import type { AnomalyThreshold } from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';

const ThresholdSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    series: z.string().openapi({
      description:
        'A series key (incident_count:hour:service=checkout) or INCIDENT_COUNT, MTTA, MTTR, ESCALATION_RATE, COST',
    }),
    kind: z.enum(['STATIC', 'DYNAMIC']),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    sensitivity: z.enum(['low', 'medium', 'high']).nullable(),
    is_active: z.boolean(),
    created_by: z.uuid().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('AnomalyThreshold');

// The engine validates the body (series format, STATIC needs a bound, lower ≤ upper) and names fields.
const ThresholdBody = z
  .strictObject({
    name: z.string(),
    series: z.string(),
    kind: z.enum(['STATIC', 'DYNAMIC']),
    lower: z.number().nullish(),
    upper: z.number().nullish(),
    sensitivity: z.enum(['low', 'medium', 'high']).nullish(),
    is_active: z.boolean().optional(),
  })
  .openapi('NewAnomalyThreshold');

const filters = { kind: q.oneOf(['STATIC', 'DYNAMIC']), is_active: q.boolean() };
const serialize = (t: AnomalyThreshold) => toJson(t);

/**
 * `/anomaly-thresholds/`: the static and dynamic thresholds the THRESHOLD detector family applies
 * on every run. Anyone may read; analysts and admins may change.
 */
export function anomalyThresholdRoutes() {
  const app = createRouter();
  const tags = ['anomaly-thresholds'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/anomaly-thresholds/',
      tags,
      summary: 'List anomaly thresholds',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of thresholds',
          content: jsonContent(paginatedSchema(ThresholdSchema, 'AnomalyThreshold')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.anomalies.thresholds.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/anomaly-thresholds/',
      tags,
      summary: 'Create an anomaly threshold',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(ThresholdBody) } },
      responses: {
        201: { description: 'Created', content: jsonContent(ThresholdSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => {
      const created = await c.var.engine.anomalies.thresholds.create(
        c.req.valid('json'),
        actorOf(currentPrincipal(c)).userId ?? undefined,
      );
      return c.json(serialize(created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/anomaly-thresholds/{id}/',
      tags,
      summary: 'An anomaly threshold',
      request: { params: IdParams },
      responses: {
        200: { description: 'The threshold', content: jsonContent(ThresholdSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.anomalies.thresholds.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/anomaly-thresholds/{id}/',
      tags,
      summary: 'Replace an anomaly threshold',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: true, content: jsonContent(ThresholdBody) } },
      responses: {
        200: { description: 'The updated threshold', content: jsonContent(ThresholdSchema) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const updated = await c.var.engine.anomalies.thresholds.update(
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(serialize(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/anomaly-thresholds/{id}/',
      tags,
      summary: 'Delete an anomaly threshold',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.anomalies.thresholds.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
