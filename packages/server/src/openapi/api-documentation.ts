import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { completeDocument } from './complete-document.ts';
import { docsAsset, docsAssetPaths, docsContentSecurityPolicy, docsPage } from './docs-page.ts';
import { securitySchemes } from './schemas.ts';

/** The reference page's URL (also served without its slash, as every API path). */
const docsBasePath = '/api/docs/';

const info = {
  title: 'Incident Insights API',
  version: '0.1.0',
  license: { name: 'MIT', identifier: 'MIT' },
  description:
    'Analytics and predictive insights for incident management. Authenticate with an API token ' +
    '(`Authorization: Token <key>`), an OpenID Connect bearer token, or a session cookie. ' +
    'Input is strict: an unknown body field or query parameter is a 400 naming it, and so is a ' +
    'query parameter given more than once (filters that take several values take them ' +
    'comma-separated: `severity=HIGH,CRITICAL`). Error bodies are `{error, details, code}`, ' +
    '`details` an object or null. A method a path does not list is a 405 whose `Allow` header ' +
    'names the methods it has.',
};

/**
 * Serves the API's documentation on `app`, after or before its routes are mounted (the document is
 * built from the registry when first asked for): `/api/openapi.json`, the OpenAPI 3.1 document
 * completed by {@link completeDocument} (operationIds and error responses), and `/api/docs/`, the
 * Swagger UI reference page with its assets, served from this server.
 */
export function serveApiDocumentation(app: OpenAPIHono<AppEnv>): void {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  let document: object | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info,
        security: [{ tokenAuth: [] }, { bearerAuth: [] }, { sessionAuth: [] }],
      }),
    );
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] });
  });

  app.get(docsBasePath, (c) =>
    c.html(docsPage, 200, { 'Content-Security-Policy': docsContentSecurityPolicy }),
  );
  for (const path of docsAssetPaths) {
    app.get(path, async (c) => {
      const asset = await docsAsset(path);
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, {
        'Content-Type': asset.contentType,
        'Cache-Control': 'public, max-age=3600',
        'X-Content-Type-Options': 'nosniff',
      });
    });
  }
}
