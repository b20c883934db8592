import { createRoute, z } from '@hono/zod-openapi';
import type { Engine } from '@incident-insights/engine';
import { type DashboardReportInput, renderDashboardReport } from '@incident-insights/web/report';
import { toJson } from '../json.ts';
import { q } from '../lists/query.ts';
import { errorResponses, IdParams } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';

/** A value as the API would send it: bigints as numbers, dates as ISO strings. */
function asApiJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(toJson(value))) as T;
}

/** What a report was made of, and a file name for it. */
export interface DashboardReport {
  html: string;
  /** `<dashboard name as a slug>-<UTC date>.html` (ASCII letters, digits and dashes). */
  filename: string;
}

/**
 * Reads a dashboard (its configuration, its data as `GET /dashboard/{id}/data/` gives it, and the
 * measurement history of its KPI trend widgets) through `engine` and renders it as a
 * self-contained HTML report, generated at the engine's clock. Visibility is the engine's: a
 * dashboard `engine`'s actor may not see is NOT_FOUND. @throws EngineError NOT_FOUND
 */
export async function renderDashboardReportFor(engine: Engine, id: string): Promise<DashboardReport> {
  const dashboard = await engine.dashboards.get(id);
  const [{ data }, measurements] = await Promise.all([
    engine.dashboards.data(id),
    engine.dashboards.trendMeasurements(id),
  ]);
  const generatedAt = engine.now();
  const input: DashboardReportInput = {
    dashboard: asApiJson(dashboard),
    data: asApiJson(data),
    kpiMeasurements: asApiJson(measurements),
    generatedAt,
  };
  const slug =
    dashboard.name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'dashboard';
  return {
    html: renderDashboardReport(input),
    filename: `${slug}-${generatedAt.toISOString().slice(0, 10)}.html`,
  };
}

/**
 * `GET /dashboard/{id}/report/`: a dashboard as a self-contained HTML report (charts as inline
 * SVG, tiles and lists as tables; no script, nothing fetched). Visible exactly as the dashboard's
 * data is (404 for a dashboard the caller may not see); `?download=true` adds
 * `Content-Disposition: attachment`.
 */
export function dashboardReportRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/dashboard/{id}/report/',
      tags: ['dashboard-configurations'],
      summary: 'A dashboard as a self-contained HTML report',
      description:
        'The dashboard name, when the report was generated, and each widget in layout order: charts ' +
        'rendered on the server to inline SVG, KPI tiles, summaries and lists as tables. No script and ' +
        'no external asset, so the file can be mailed. Visible as the dashboard data is.',
      request: {
        params: IdParams,
        query: z.strictObject({
          download: q.boolean().openapi({
            description: 'true: answer with `Content-Disposition: attachment; filename=...`',
          }),
        }),
      },
      responses: {
        200: {
          description: 'The report',
          content: { 'text/html': { schema: { type: 'string', description: 'An HTML document' } } },
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const report = await renderDashboardReportFor(c.var.engine, c.req.valid('param').id);
      c.header('Content-Type', 'text/html; charset=utf-8');
      c.header('Cache-Control', 'private, no-cache');
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      if (c.req.valid('query').download === true) {
        c.header('Content-Disposition', `attachment; filename="${report.filename}"`);
      }
      return c.body(report.html, 200);
    },
  );
  return app;
}
