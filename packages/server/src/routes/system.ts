import { createRoute, z } from '@hono/zod-openapi';
import type { Engine } from '@incident-insights/engine';
import type { HttpMetrics } from '../observability/metrics.ts';
import { docsPage } from '../openapi/docs-page.ts';
import { jsonContent } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';

const Health = z.object({ status: z.string() }).openapi('Health');

/**
 * Liveness, readiness, metrics and the API reference page. `/healthz` answers while the process
 * runs; `/readyz` also checks the store and answers 503 while shutting down.
 */
export function systemRoutes(engine: Engine, metrics: HttpMetrics, isDraining: () => boolean) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['system'],
      summary: 'Liveness',
      security: [],
      responses: { 200: { description: 'The process is up', content: jsonContent(Health) } },
    }),
    (c) => c.json({ status: 'ok' }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['system'],
      summary: 'Readiness: the store answers and the server is not shutting down',
      security: [],
      responses: {
        200: { description: 'Ready', content: jsonContent(Health) },
        503: { description: 'Not ready', content: jsonContent(Health) },
      },
    }),
    async (c) => {
      if (isDraining()) return c.json({ status: 'draining' }, 503);
      try {
        await engine.ping();
        return c.json({ status: 'ready' }, 200);
      } catch (error) {
        c.get('logger')?.warn({ err: error }, 'readiness check failed');
        return c.json({ status: 'unavailable' }, 503);
      }
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['system'],
      summary: 'Prometheus metrics (text exposition format)',
      responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
    }),
    (c) => {
      const gauges: Record<string, number> = {};
      for (const [key, value] of Object.entries(engine.workerStats())) {
        if (typeof value === 'number' && Number.isFinite(value)) gauges[`worker_pool_${key}`] = value;
      }
      return c.text(metrics.render(gauges), 200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      });
    },
  );
  app.get('/api/docs/', (c) => c.html(docsPage));
  return app;
}
