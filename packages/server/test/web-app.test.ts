import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { defaultWebRoot, webContentSecurityPolicy } from '../src/routes/web-app.ts';

// A built page as vite writes it: index.html naming hashed files under assets/.
const indexHtml =
  '<!doctype html><html lang="en"><head><script type="module" crossorigin src="./assets/index-Ab12_c.js"></script>' +
  '<link rel="stylesheet" crossorigin href="./assets/index-Zx9.css"></head><body><div id="app"></div></body></html>';
const script = 'console.log("incident insights");';
const styles = 'body { margin: 0; }';

describe('the web page at /', () => {
  let s: TestServer;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'web-app-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), indexHtml);
    await writeFile(join(root, 'assets', 'index-Ab12_c.js'), script);
    await writeFile(join(root, 'assets', 'index-Zx9.css'), styles);
    await writeFile(join(root, 'secret.txt'), 'not an asset');
    s = await startServer({ app: { webRoot: root } });
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves index.html without signing in, never cached, with a strict Content-Security-Policy', async () => {
    const res = await s.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(indexHtml);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(webContentSecurityPolicy);
    // Everything from this origin only: no inline scripts or styles, no other host, no framing.
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the hashed assets with their content type, cached for a year, without signing in', async () => {
    const js = await s.fetch('/assets/index-Ab12_c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(script);
    const css = await s.fetch('/assets/index-Zx9.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe(styles);
  });

  it('serves nothing but the asset files: a missing one or a path out of assets/ is refused', async () => {
    expect((await s.fetch('/assets/index-missing.js')).status).toBe(404);
    expect((await s.fetch('/assets/..%2Fsecret.txt')).status).toBe(404);
    expect((await s.fetch('/assets/secret.txt')).status).toBe(404);
    // Outside /assets/ nothing of the folder is public (the client resolves `..` first).
    for (const path of ['/assets/../secret.txt', '/secret.txt', '/index.html']) {
      const res = await s.fetch(path);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('not an asset');
    }
  });

  it('leaves the API as it was: an unknown /api path is still the JSON 404, docs still served', async () => {
    const res = await s.fetch('/api/no-such-thing/', { as: 'viewer' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
    // Unauthenticated, an /api path is refused as before: only the page and its assets are public.
    expect((await s.fetch('/api/analytics/dashboard-configurations/')).status).toBe(401);
    expect((await s.fetch('/api/docs/')).status).toBe(200);
  });
});

describe('the web page when it is not built', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ app: { webRoot: join(tmpdir(), 'no-web-page-here-8f3a') } });
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
  });

  it('says at / how to build it (not a 500), and still points to the API', async () => {
    const res = await s.fetch('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('The web page is not built');
    expect(html).toContain('npm run build -w packages/web');
    expect(html).toContain('href="/api/docs/"');
    expect((await s.fetch('/assets/index-Ab12_c.js')).status).toBe(404);
  });
});

it('looks for the built page in packages/web/dist/app by default', () => {
  expect(defaultWebRoot).toBe(fileURLToPath(new URL('../../web/dist/app/', import.meta.url)));
});
