import { createRoute, z } from '@hono/zod-openapi';
import { jsonContent } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';

const ApiRoot = z.record(z.string(), z.string().url()).openapi('ApiRoot', {
  example: { 'kpi-metrics': 'http://127.0.0.1:8000/api/analytics/kpi-metrics/' },
});

/**
 * `GET /api/analytics/`: the API root, as Django REST Framework's router serves it — each resource
 * of the base URL with its absolute list URL. Built from the registered routes at request time.
 */
export function apiRootRoutes(routes: () => readonly { method: string; path: string }[]) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/analytics/',
      tags: ['system'],
      summary: 'The resources under /api/analytics/ with their URLs',
      responses: { 200: { description: 'Resource name → list URL', content: jsonContent(ApiRoot) } },
    }),
    (c) => {
      const origin = new URL(c.req.url).origin;
      const names = new Set<string>();
      for (const route of routes()) {
        const match = /^\/api\/analytics\/([\w-]+)\/$/.exec(route.path);
        if (match?.[1] && route.method === 'GET') names.add(match[1]);
      }
      const body: Record<string, string> = {};
      for (const name of [...names].sort()) body[name] = `${origin}/api/analytics/${name}/`;
      return c.json(body, 200);
    },
  );
  return app;
}
