import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { homePage } from '../src/routes/home.ts';

describe('GET / without the built web page', () => {
  let s: TestServer;
  beforeAll(async () => {
    // The built page replaces this one at / (web-app.test.ts); without it, this page is shown.
    s = await startServer({ app: { webRoot: join(tmpdir(), 'no-web-page-here') } });
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
  });

  it('is a page a person can use, without signing in', async () => {
    const res = await s.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('href="/api/docs/"');
    expect(html).toContain('href="/api/openapi.json"');
    expect(html).toContain('Authorization: Token &lt;token&gt;');
    expect(html).toContain('/api/auth/login/');
    expect(html).toContain('X-CSRF-Token');
    expect(html).toContain(`${s.url}/api/analytics/kpi-metrics/summary/`);
    // Self-contained: nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*(src|href)="(https?:)?\/\//i);
  });

  it('links to pages that answer', async () => {
    expect((await s.fetch('/api/docs/')).status).toBe(200);
    expect((await s.fetch('/api/openapi.json')).status).toBe(200);
  });

  it('escapes the origin it shows (it comes from the Host header)', () => {
    const html = homePage('http://a"><script>x</script>');
    expect(html).not.toContain('<script>x</script>');
    expect(html).toContain('http://a&#34;&#62;&#60;script&#62;x&#60;/script&#62;/api/auth/login/');
  });
});

describe('CORS preflight', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      app: { corsOrigins: ['https://app.example'], rateLimit: { perMinute: 1, perHour: 1 } },
    });
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
  });

  const preflight = (path: string, origin = 'https://app.example') =>
    s.fetch(path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });

  it('is answered before authentication and rate limiting, on every path', async () => {
    for (const path of ['/api/incidents/', '/api/analytics/kpi-metrics', '/api/auth/tokens/', '/']) {
      for (let i = 0; i < 3; i++) {
        const res = await preflight(path);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
        expect(res.headers.get('access-control-allow-methods')).toContain('POST');
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
        expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      }
    }
  });

  it('grants nothing to an origin not configured', async () => {
    const res = await preflight('/api/incidents/', 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets the page read a 401's body", async () => {
    const res = await s.fetch('/api/incidents/', { headers: { Origin: 'https://app.example' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });
});
