import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The `src` and `href` attributes of a page, in order. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

describe('the API reference page (/api/docs/)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
  });

  it('is Swagger UI, served without authentication at both spellings of its URL, allowing only this origin', async () => {
    for (const path of ['/api/docs/', '/api/docs']) {
      const res = await s.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      // No other source anywhere in the policy: only 'self', 'none' and inline data: images.
      expect(csp.replace(/'self'|'none'|data:/g, '')).not.toMatch(/[:.']/);
      const html = await res.text();
      expect(html).toContain('<div id="swagger-ui"></div>');
      expect(references(html)).toEqual([
        '/api/docs/favicon-32x32.png',
        '/api/docs/swagger-ui.css',
        '/api/docs/swagger-ui-bundle.js',
        '/api/docs/docs-init.js',
      ]);
      expect(html).not.toMatch(/<script>|<style>|\bon\w+=/);
    }
  });

  it('serves each asset the page references with its content type, the first three from swagger-ui-dist 5.35.0', async () => {
    const manifest = JSON.parse(await readFile(join(swaggerUiDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toBe('5.35.0');
    const expected: Record<string, RegExp> = {
      '/api/docs/favicon-32x32.png': /^image\/png$/,
      '/api/docs/swagger-ui.css': /^text\/css/,
      '/api/docs/swagger-ui-bundle.js': /^text\/javascript/,
      '/api/docs/docs-init.js': /^text\/javascript/,
    };
    for (const [path, type] of Object.entries(expected)) {
      const res = await s.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(type);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const body = Buffer.from(await res.arrayBuffer());
      const file = path.slice('/api/docs/'.length);
      if (file !== 'docs-init.js')
        expect(body.equals(await readFile(join(swaggerUiDir, file))), path).toBe(true);
    }
  });

  it('starts Swagger UI on the served document, with the online validator off and the token box sending Token <key>', async () => {
    const script = await (await s.fetch('/api/docs/docs-init.js')).text();
    expect(script).toContain("url: '/api/openapi.json'");
    expect(script).toContain('validatorUrl: null');
    expect(script).not.toMatch(/https?:\/\//);
    expect(script).toContain("'Token ' + value");
    const doc = (await (await s.fetch('/api/openapi.json')).json()) as {
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
    };
    expect(doc.components.securitySchemes['tokenAuth']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
  });

  it('serves nothing else from the folder', async () => {
    for (const path of ['/api/docs/index.html', '/api/docs/swagger-ui.js', '/api/docs/..%2Fpackage.json']) {
      const res = await s.fetch(path);
      expect(res.status, path).not.toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });
});
