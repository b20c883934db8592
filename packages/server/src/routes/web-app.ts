import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { homePage } from './home.ts';

/**
 * Where the built web page is: `packages/web/dist/app`, the same number of folders up from this
 * file in `src/routes/` and in `dist/routes/`.
 */
export const defaultWebRoot = fileURLToPath(new URL('../../../web/dist/app/', import.meta.url));

/** The folder of the page's hashed files, served under `/assets/`. */
const webAssetsPrefix = '/assets/';

/**
 * The page's Content-Security-Policy: scripts, styles, images and requests from this origin only;
 * no plugins, no framing, no `<base>`.
 */
export const webContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** A file name vite writes (`index-B1x2c3.js`): no folders, no `..`. */
const safeAssetName = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

/**
 * `GET /`: the web page (`index.html` of the built single-page app, never cached, with a strict
 * {@link webContentSecurityPolicy}) and `GET /assets/<file>`: its hashed files, cached for a year.
 * Served without authentication: the page signs in through the API. When the page is not built,
 * `/` is the {@link homePage} with the command that builds it.
 */
export function webAppRoutes(root: string = defaultWebRoot) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const index = await readIfFile(join(root, 'index.html'));
    if (!index) {
      return c.html(homePage(new URL(c.req.url).origin, { webPageMissing: true }), 200, {
        'Cache-Control': 'no-cache',
      });
    }
    return c.body(new Uint8Array(index), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': webContentSecurityPolicy,
      ...securityHeaders,
    });
  });
  app.get(`${webAssetsPrefix}:name`, async (c) => {
    const name = c.req.param('name');
    const type = contentTypes[extname(name)];
    const body = type && safeAssetName.test(name) ? await readIfFile(join(root, 'assets', name)) : null;
    if (!body) throw new ApiError(404, `No file ${webAssetsPrefix}${name}.`);
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': type!,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ...securityHeaders,
    });
  });
  return app;
}
