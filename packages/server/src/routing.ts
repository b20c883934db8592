import { TrieRouter } from 'hono/router/trie-router';
import { getPath } from 'hono/utils/url';
import { docsAssetPaths } from './openapi/docs-page.ts';

const publicPaths = new Set([
  '/',
  '/healthz',
  '/readyz',
  '/api/openapi.json',
  '/api/docs/',
  '/api/auth/login/',
  ...docsAssetPaths,
]);

/**
 * The path the router sees: API paths (`/api/...`) get the spec's trailing slash when it is
 * missing, so `/api/incidents` and `/api/incidents/` reach the same route. Paths whose last
 * segment has a dot (`/api/openapi.json`) are left as they are.
 */
export function routingPath(request: Request): string {
  const path = getPath(request);
  if (!path.startsWith('/api/') || path.endsWith('/')) return path;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes('.') ? path : `${path}/`;
}

/**
 * Paths served without authentication: the web page and its assets (`/assets/...`), health,
 * readiness, the OpenAPI document, the reference page and its assets, login.
 */
export function isPublicPath(path: string): boolean {
  return publicPaths.has(path) || path.startsWith('/assets/');
}

const routers = new WeakMap<object, TrieRouter<string[]>>();

/** The methods registered for `path` (for 405's `Allow`); empty when no route has this path. */
export function allowedMethods(
  app: { readonly routes: readonly { method: string; path: string }[] },
  path: string,
): string[] {
  let router = routers.get(app);
  if (!router) {
    const byPath = new Map<string, Set<string>>();
    for (const route of app.routes) {
      if (route.method === 'ALL') continue;
      const methods = byPath.get(route.path) ?? new Set<string>();
      methods.add(route.method);
      if (route.method === 'GET') methods.add('HEAD');
      byPath.set(route.path, methods);
    }
    router = new TrieRouter<string[]>();
    for (const [p, methods] of byPath) router.add('ALL', p, [...methods]);
    routers.set(app, router);
  }
  const methods = new Set<string>();
  for (const [handler] of router.match('ALL', path)[0]) for (const m of handler) methods.add(m);
  return [...methods];
}

const staticRoutes = new WeakMap<object, Map<string, string[]>>();

/**
 * The methods of the route registered for exactly `path` with no parameter in it, or undefined
 * when none is. `/kpi-metrics/calculate/` is such a route (POST only) beside the parameterised
 * `/kpi-metrics/{id}/`: a GET on it is a 405 for the action, not a 400 about an id.
 */
export function staticRouteMethods(
  app: { readonly routes: readonly { method: string; path: string }[] },
  path: string,
): string[] | undefined {
  let byPath = staticRoutes.get(app);
  if (!byPath) {
    const sets = new Map<string, Set<string>>();
    for (const route of app.routes) {
      if (route.method === 'ALL' || route.path.includes(':') || route.path.includes('*')) continue;
      const methods = sets.get(route.path) ?? new Set<string>();
      methods.add(route.method);
      if (route.method === 'GET') methods.add('HEAD');
      sets.set(route.path, methods);
    }
    byPath = new Map([...sets].map(([p, methods]) => [p, [...methods]]));
    staticRoutes.set(app, byPath);
  }
  return byPath.get(path);
}
