import { createRoute, type z } from '@hono/zod-openapi';
import { costTypes } from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { CostAnalysisSchema, CostSummarySchema, ValidateCostBody } from './cost-analyses-schemas.ts';

const tags = ['cost-analyses'];
const filters = {
  cost_type: q.oneOf(costTypes),
  is_validated: q.boolean(),
  start_date: q.date(),
  end_date: q.date(),
};
type CostJson = z.infer<typeof CostAnalysisSchema>;
const serialize = <T>(analysis: T) => toJson(analysis) as unknown as CostJson;

/**
 * `/cost-analyses/`: the cost impact of incidents, one analysis per incident and cost type
 * (penalties per SLA contract period), computed by the `calculate_costs` job. List (cost_type,
 * is_validated, start_date, end_date on created_at; ordering, search), the summary (same filters),
 * detail and validate (analysts and admins; the caller is recorded). Anyone may read.
 */
export function costAnalysisRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cost-analyses/',
      tags,
      summary: 'List cost analyses',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of analyses',
          content: jsonContent(paginatedSchema(CostAnalysisSchema, 'CostAnalysis')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.costs.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  // Before /cost-analyses/{id}/ so that "summary" is never read as an id.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/cost-analyses/summary/',
      tags,
      summary: 'Total cost by type, downtime hours, affected users, cost per hour and per user',
      request: {
        query: listQuery(filters).pick({
          cost_type: true,
          is_validated: true,
          start_date: true,
          end_date: true,
        }),
      },
      responses: {
        200: { description: 'The summary', content: jsonContent(CostSummarySchema) },
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
      return c.json(await c.var.engine.costs.summary(defined), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cost-analyses/{id}/',
      tags,
      summary: 'A cost analysis',
      request: { params: IdParams },
      responses: {
        200: { description: 'The analysis', content: jsonContent(CostAnalysisSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.costs.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cost-analyses/{id}/validate/',
      tags,
      summary:
        'Validate an analysis: who, when, notes, and optionally a corrected amount (the computed one is kept)',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: false, content: jsonContent(ValidateCostBody) } },
      responses: {
        200: { description: 'The validated analysis', content: jsonContent(CostAnalysisSchema) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      // The server's local credential is the system actor, no stored user: nobody to record.
      const userId = actorOf(currentPrincipal(c)).userId ?? null;
      const body = c.req.valid('json') ?? {};
      const analysis = await c.var.engine.costs.validate(c.req.valid('param').id, userId, body);
      return c.json(serialize(analysis), 200);
    },
  );
  return app;
}
