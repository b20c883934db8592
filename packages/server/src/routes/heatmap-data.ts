import { createRoute, type z } from '@hono/zod-openapi';
import { type HeatmapRecord, heatmapTypes, timeGranularities } from '@incident-insights/engine';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { HeatmapDataSchema, RefreshHeatmapsBody } from './heatmap-data-schemas.ts';
import { registerJobAction } from './jobs.ts';

const tags = ['heatmap-data'];
const filters = { heatmap_type: q.oneOf(heatmapTypes), time_granularity: q.oneOf(timeGranularities) };
type HeatmapJson = z.infer<typeof HeatmapDataSchema>;
const serialize = (heatmap: HeatmapRecord) => toJson(heatmap) as unknown as HeatmapJson;

/**
 * `/heatmap-data/`: the stored heatmaps (incident frequency, resolution time, cost impact, anomaly
 * density by weekday × hour, service × day, category × week, weekday × month). List (heatmap_type,
 * time_granularity; the latest computed first), detail, and `refresh/`, which queues a
 * `refresh_heatmaps` job (202; analysts and admins). Anyone may read.
 */
export function heatmapDataRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/heatmap-data/',
      tags,
      summary: 'List heatmap data',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of heatmaps',
          content: jsonContent(paginatedSchema(HeatmapDataSchema, 'HeatmapData')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.heatmaps.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  // Before /heatmap-data/{id}/ so that "refresh" is never read as an id.
  registerJobAction(app, {
    path: '/heatmap-data/refresh/',
    tag: 'heatmap-data',
    summary: 'Refresh the heatmaps (the refresh-heatmaps command) as a job: 202 with the job',
    kind: 'refresh_heatmaps',
    body: RefreshHeatmapsBody,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/heatmap-data/{id}/',
      tags,
      summary: 'A stored heatmap',
      request: { params: IdParams },
      responses: {
        200: { description: 'The heatmap', content: jsonContent(HeatmapDataSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.heatmaps.get(c.req.valid('param').id)), 200),
  );
  return app;
}
