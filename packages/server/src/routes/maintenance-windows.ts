import { createRoute } from '@hono/zod-openapi';
import { requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { MaintenanceWindowSchema, NewMaintenanceWindowSchema } from './kpi-schemas.ts';

const filters = { service: q.text(), start_after: q.date(), end_before: q.date() };

/**
 * `/maintenance-windows/`: planned downtime that AVAILABILITY leaves out. Anyone may read;
 * analysts and admins may create and delete.
 */
export function maintenanceWindowRoutes() {
  const app = createRouter();
  const tags = ['maintenance-windows'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-windows/',
      tags,
      summary: 'List maintenance windows',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of windows',
          content: jsonContent(paginatedSchema(MaintenanceWindowSchema, 'MaintenanceWindow')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.kpis.maintenanceWindows.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, toJson), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/maintenance-windows/',
      tags,
      summary: 'Record a maintenance window',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(NewMaintenanceWindowSchema) } },
      responses: {
        201: { description: 'Created', content: jsonContent(MaintenanceWindowSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => c.json(toJson(await c.var.engine.kpis.maintenanceWindows.create(c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/maintenance-windows/{id}/',
      tags,
      summary: 'A maintenance window',
      request: { params: IdParams },
      responses: {
        200: { description: 'The window', content: jsonContent(MaintenanceWindowSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(toJson(await c.var.engine.kpis.maintenanceWindows.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/maintenance-windows/{id}/',
      tags,
      summary: 'Delete a maintenance window',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.kpis.maintenanceWindows.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
