import { createRoute, type z } from '@hono/zod-openapi';
import { type DashboardConfiguration, dashboardTypes } from '@incident-insights/engine';
import type { Context } from 'hono';
import { requireAllowed } from '../auth/permissions.ts';
import type { AppEnv } from '../env.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { DashboardBody, DashboardDataSchema, DashboardSchema } from './dashboards-schemas.ts';

const tags = ['dashboard-configurations'];
const filters = { dashboard_type: q.oneOf(dashboardTypes), is_active: q.boolean() };
type DashboardJson = z.infer<typeof DashboardSchema>;
const serialize = (dashboard: DashboardConfiguration) => toJson(dashboard) as unknown as DashboardJson;
const base = '/dashboard-configurations/';

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for it). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

async function dashboardData(c: Context<AppEnv>, id: string) {
  const { data, etag } = await c.var.engine.dashboards.data(id);
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
  return c.json(toJson(data) as unknown as z.infer<typeof DashboardDataSchema>, 200);
}

const dataResponses = {
  200: {
    description: 'The data of the configured widgets, with an ETag',
    content: jsonContent(DashboardDataSchema),
  },
  304: { description: 'Unchanged since the ETag sent in If-None-Match' },
  ...errorResponses(404),
};

/**
 * `/dashboard-configurations/`: dashboards (widgets on a grid) with list (dashboard_type,
 * is_active, search, ordering), create, detail, replace, change and delete; and their data, at the
 * spec's `/dashboard/{id}/data/` and at `/dashboard-configurations/{id}/data/`, cached for the
 * dashboard's refresh interval, with an ETag (`If-None-Match` → 304). A dashboard is visible to
 * everyone when public, else to its creator, admins and holders of its `allowed_roles`; to others
 * it is 404. Analysts and admins may create; only the creator and admins may change or delete.
 */
export function dashboardRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      summary: 'List the dashboard configurations the caller may see',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of dashboards',
          content: jsonContent(paginatedSchema(DashboardSchema, 'DashboardConfiguration')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.dashboards.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: base,
      tags,
      summary: 'Create a dashboard configuration',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(DashboardBody) } },
      responses: {
        201: { description: 'Created', content: jsonContent(DashboardSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.dashboards.create(c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}{id}/`,
      tags,
      summary: 'A dashboard configuration',
      request: { params: IdParams },
      responses: {
        200: { description: 'The dashboard', content: jsonContent(DashboardSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.dashboards.get(c.req.valid('param').id)), 200),
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: `${base}{id}/`,
        tags,
        summary:
          method === 'put'
            ? 'Replace a dashboard configuration'
            : 'Change fields of a dashboard configuration',
        middleware: [requireAllowed('analyses.write')],
        request: { params: IdParams, body: { required: true, content: jsonContent(DashboardBody) } },
        responses: {
          200: { description: 'The changed dashboard', content: jsonContent(DashboardSchema) },
          ...errorResponses(400, 403, 404),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const input = method === 'put' ? { description: '', ...body } : body;
        return c.json(serialize(await c.var.engine.dashboards.update(id, input)), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}{id}/`,
      tags,
      summary: 'Delete a dashboard configuration',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.dashboards.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  for (const path of ['/dashboard/{id}/data/', `${base}{id}/data/`]) {
    app.openapi(
      createRoute({
        method: 'get',
        path,
        tags,
        summary: 'The data of a dashboard',
        request: { params: IdParams },
        responses: dataResponses,
      }),
      async (c) => dashboardData(c, c.req.valid('param').id),
    );
  }
  return app;
}
