import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the reference page and its assets are served. */
const docsBase = '/api/docs/';

/**
 * The API reference page: Swagger UI (swagger-ui-dist, served from this server, nothing from
 * elsewhere) over `/api/openapi.json`, with its operations, models, "Try it out" and the
 * Authorize dialog for the token. The script is a file of its own so that the page's
 * Content-Security-Policy can allow scripts from this origin only.
 */
export const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident Insights API reference</title>
<link rel="icon" type="image/png" href="${docsBase}favicon-32x32.png">
<link rel="stylesheet" href="${docsBase}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${docsBase}swagger-ui-bundle.js"></script>
<script src="${docsBase}docs-init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on the page. The online validator is off (it would send the document
 * elsewhere). A key typed alone in the Authorize dialog's `tokenAuth` box is sent as
 * `Authorization: Token <key>`; one typed with its scheme (`Token ...`, `Bearer ...`) as it is.
 */
const initScript = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  displayOperationId: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  requestInterceptor: function (request) {
    var value = request.headers && request.headers.Authorization;
    if (value && !/^(Token|Bearer|Basic)\\s/i.test(value)) request.headers.Authorization = 'Token ' + value;
    return request;
  },
});
`;

/**
 * The page's Content-Security-Policy: everything from this origin only. `data:` images are the
 * icons inlined in Swagger UI's stylesheet, not fetched from anywhere.
 */
export const docsContentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A file of the page: its content type and where its bytes come from. */
interface DocsAsset {
  readonly contentType: string;
  readonly load: () => Promise<string | Uint8Array<ArrayBuffer>>;
}

const require = createRequire(import.meta.url);
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const fromSwaggerUi = (file: string) => async () => new Uint8Array(await readFile(join(swaggerUiDir, file)));

const assets: Readonly<Record<string, DocsAsset>> = {
  'swagger-ui.css': { contentType: 'text/css; charset=utf-8', load: fromSwaggerUi('swagger-ui.css') },
  'swagger-ui-bundle.js': {
    contentType: 'text/javascript; charset=utf-8',
    load: fromSwaggerUi('swagger-ui-bundle.js'),
  },
  'favicon-32x32.png': { contentType: 'image/png', load: fromSwaggerUi('favicon-32x32.png') },
  'docs-init.js': { contentType: 'text/javascript; charset=utf-8', load: async () => initScript },
};

/** The paths of the page's assets (each under `/api/docs/`), served without authentication. */
export const docsAssetPaths: readonly string[] = Object.keys(assets).map((name) => docsBase + name);

const loaded = new Map<string, Promise<string | Uint8Array<ArrayBuffer>>>();

/**
 * The content type and bytes of the asset at `path` (one of {@link docsAssetPaths}), read once
 * from the installed swagger-ui-dist and then kept in memory.
 */
export async function docsAsset(
  path: string,
): Promise<{ contentType: string; body: string | Uint8Array<ArrayBuffer> } | undefined> {
  const name = path.slice(docsBase.length);
  const asset = path.startsWith(docsBase) && Object.hasOwn(assets, name) ? assets[name] : undefined;
  if (!asset) return undefined;
  let body = loaded.get(name);
  if (!body) {
    body = asset.load();
    loaded.set(name, body);
    body.catch(() => loaded.delete(name));
  }
  return { contentType: asset.contentType, body: await body };
}
