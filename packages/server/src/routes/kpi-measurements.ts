import { createRoute } from '@hono/zod-openapi';
import { toJson } from '../json.ts';
import { paginatedJson } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { KpiMeasurementSchema } from './kpi-schemas.ts';

const filters = { metric_id: q.uuid(), start_date: q.date(), end_date: q.date() };

/** `/kpi-measurements/`: every stored KPI measurement, filtered by metric and period. Anyone may read. */
export function kpiMeasurementRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpi-measurements/',
      tags: ['kpi-measurements'],
      summary: 'List KPI measurements',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of measurements',
          content: jsonContent(paginatedSchema(KpiMeasurementSchema, 'KpiMeasurement')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const request = toListRequest(c.req.valid('query'));
      const page = await c.var.engine.kpis.measurements({
        ...(request.page === undefined ? {} : { page: request.page }),
        ...(request.pageSize === undefined ? {} : { pageSize: request.pageSize }),
        ordering: request.ordering,
        filters: {
          metric_id: request.filters?.['metric_id'] as string | undefined,
          start_date: request.filters?.['start_date'] as Date | undefined,
          end_date: request.filters?.['end_date'] as Date | undefined,
        },
      });
      return paginatedJson(c, page, toJson);
    },
  );
  return app;
}
