import { createRoute, z } from '@hono/zod-openapi';
import type { Engine } from '@incident-insights/engine';
import type { ServerMetrics } from '../observability/metrics.ts';
import { jsonContent } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';

const Health = z.object({ status: z.string() }).openapi('Health');

/**
 * Liveness, readiness and metrics. `/healthz` answers while the process
 * runs; `/readyz` also checks the store and answers 503 while shutting down.
 */
export function systemRoutes(engine: Engine, metrics: ServerMetrics, isDraining: () => boolean) {
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
    async (c) => c.text(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
  );
  return app;
}
