import { createRoute, z } from '@hono/zod-openapi';
import { type KpiMetric, metricTypes } from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { registerJobAction } from './jobs.ts';
import { CalculateKpisBody } from './jobs-schemas.ts';
import {
  KpiMeasurementSchema,
  KpiMetricPatchSchema,
  KpiMetricSchema,
  KpiSummaryItemSchema,
  NewKpiMetricSchema,
} from './kpi-schemas.ts';

const filters = {
  metric_type: q.oneOf(metricTypes),
  is_active: q.boolean(),
  is_system_metric: q.boolean(),
  created_after: q.date(),
  created_before: q.date(),
};
const measurementFilters = { start_date: q.date(), end_date: q.date() };
const serialize = (m: KpiMetric) => toJson(m);

/**
 * `/kpi-metrics/`: KPI metric definitions (system metrics included, which cannot be changed:
 * 403), a metric's measurements, and the summary of every active metric. Anyone may read;
 * analysts and admins may create, change and delete.
 */
export function kpiMetricRoutes() {
  const app = createRouter();
  const tags = ['kpi-metrics'];

  // Registered before /kpi-metrics/{id}/ so that "summary" and "calculate" are never read as ids.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpi-metrics/summary/',
      tags,
      summary:
        'KPI summary: current value, trend against the previous window and target of every active metric',
      responses: {
        200: {
          description: 'One line per active metric',
          content: jsonContent(z.array(KpiSummaryItemSchema)),
        },
      },
    }),
    async (c) => c.json(toJson(await c.var.engine.kpis.summary()), 200),
  );

  registerJobAction(app, {
    path: '/kpi-metrics/calculate/',
    tag: 'kpi-metrics',
    summary: 'Calculate KPI measurements (the calculate_kpis command) as a job: 202 with the job',
    kind: 'calculate_kpis',
    body: CalculateKpisBody,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpi-metrics/',
      tags,
      summary: 'List KPI metrics',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of metrics',
          content: jsonContent(paginatedSchema(KpiMetricSchema, 'KpiMetric')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.kpis.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/kpi-metrics/',
      tags,
      summary: 'Create a KPI metric',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(NewKpiMetricSchema) } },
      responses: {
        201: { description: 'Created', content: jsonContent(KpiMetricSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => {
      const metric = await c.var.engine.kpis.create(c.req.valid('json'), {
        createdBy: actorOf(currentPrincipal(c)).userId ?? undefined,
      });
      return c.json(serialize(metric), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpi-metrics/{id}/',
      tags,
      summary: 'A KPI metric',
      request: { params: IdParams },
      responses: {
        200: { description: 'The metric', content: jsonContent(KpiMetricSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.kpis.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/kpi-metrics/{id}/',
      tags,
      summary: 'Change some fields of a KPI metric (not of a system metric)',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: true, content: jsonContent(KpiMetricPatchSchema) } },
      responses: {
        200: { description: 'The changed metric', content: jsonContent(KpiMetricSchema) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const metric = await c.var.engine.kpis.update(c.req.valid('param').id, c.req.valid('json'));
      return c.json(serialize(metric), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/kpi-metrics/{id}/',
      tags,
      summary: 'Delete a KPI metric with its measurements (not a system metric)',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.kpis.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/kpi-metrics/{id}/measurements/',
      tags,
      summary: "A KPI metric's measurements, newest period first",
      request: { params: IdParams, query: listQuery(measurementFilters) },
      responses: {
        200: {
          description: 'A page of measurements',
          content: jsonContent(paginatedSchema(KpiMeasurementSchema, 'KpiMeasurement')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await c.var.engine.kpis.get(id);
      const request = toListRequest(c.req.valid('query'));
      const page = await c.var.engine.kpis.measurements({
        ...(request.page === undefined ? {} : { page: request.page }),
        ...(request.pageSize === undefined ? {} : { pageSize: request.pageSize }),
        ordering: request.ordering,
        filters: {
          metric_id: id,
          start_date: request.filters?.['start_date'] as Date | undefined,
          end_date: request.filters?.['end_date'] as Date | undefined,
        },
      });
      return c.json(paginated(c, page, toJson), 200);
    },
  );
  return app;
}
