import { createRoute, type z } from '@hono/zod-openapi';
import { confidenceLevels, insightTypes } from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import {
  AcknowledgeBody,
  InsightSummarySchema,
  PredictiveInsightSchema,
} from './predictive-insights-schemas.ts';

const tags = ['predictive-insights'];
const filters = {
  insight_type: q.oneOf(insightTypes),
  confidence_level: q.oneOf(confidenceLevels),
  is_acknowledged: q.boolean(),
  is_validated: q.boolean(),
  include_expired: q.boolean().openapi({
    type: 'boolean',
    description: 'Include insights past their expires_at (default false)',
  }),
};
type InsightJson = z.infer<typeof PredictiveInsightSchema>;
const serialize = <T>(insight: T) => toJson(insight) as unknown as InsightJson;

/**
 * `/predictive-insights/`: what the active models foresee (incident forecasts, severity and
 * escalation risks, resolution delays, cost forecasts, anomaly risks), produced on the server's
 * schedule by the `generate_insights` job. List (insight_type, confidence_level, is_acknowledged,
 * is_validated, include_expired; expired insights are left out unless asked for), the summary,
 * detail and acknowledge (analysts and admins; the caller is recorded). Anyone may read.
 */
export function predictiveInsightRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-insights/',
      tags,
      summary: 'List predictive insights (expired ones only with include_expired=true)',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of insights',
          content: jsonContent(paginatedSchema(PredictiveInsightSchema, 'PredictiveInsight')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.insights.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  // Before /predictive-insights/{id}/ so that "summary" is never read as an id.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-insights/summary/',
      tags,
      summary: 'Counts of insights by confidence and state, their average accuracy and the active models',
      responses: { 200: { description: 'The summary', content: jsonContent(InsightSummarySchema) } },
    }),
    async (c) => {
      const summary = await c.var.engine.insights.summary();
      return c.json(toJson(summary) as unknown as z.infer<typeof InsightSummarySchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/predictive-insights/{id}/',
      tags,
      summary: 'A predictive insight (also an expired one)',
      request: { params: IdParams },
      responses: {
        200: { description: 'The insight', content: jsonContent(PredictiveInsightSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.insights.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/predictive-insights/{id}/acknowledge/',
      tags,
      summary: 'Acknowledge an insight: records who and when',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: false, content: jsonContent(AcknowledgeBody) } },
      responses: {
        200: { description: 'The acknowledged insight', content: jsonContent(PredictiveInsightSchema) },
        ...errorResponses(400, 403, 404, 409),
      },
    }),
    async (c) => {
      // The server's local credential is the system actor, no stored user: nobody to record.
      const userId = actorOf(currentPrincipal(c)).userId ?? null;
      const insight = await c.var.engine.insights.acknowledge(c.req.valid('param').id, userId);
      return c.json(serialize(insight), 200);
    },
  );
  return app;
}
