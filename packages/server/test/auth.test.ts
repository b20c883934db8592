import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

/** A JWKS endpoint served by the test, standing in for an identity provider. */
async function startJwks(keys: JWK[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('authentication', () => {
  let s: TestServer;
  let jwks: { url: string; close: () => Promise<void> };
  let clock = new Date('2026-01-01T00:00:00Z');
  const issuer = 'https://idp.test';
  const audience = 'incident-insights';
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = other.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = await startJwks([jwk]);
    s = await startServer({
      engine: { now: () => clock },
      app: { oidc: [{ issuer, audience, jwksUri: jwks.url, rolesClaim: 'realm_access.roles' }] },
    });
  });
  afterAll(async () => {
    await s.close();
    await jwks.close();
  });

  const me = (headers: Record<string, string>) => s.fetch('/api/auth/me/', { headers });
  const jwt = (
    claims: Record<string, unknown>,
    options: { key?: CryptoKey; aud?: string; exp?: number } = {},
  ) => {
    const now = Math.floor(clock.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setSubject('user-42')
      .setAudience(options.aud ?? audience)
      .setIssuedAt(now)
      .setExpirationTime(options.exp ?? now + 300)
      .sign(options.key ?? signingKey);
  };

  it('accepts an API token as "Token <key>" and as "Bearer <key>"', async () => {
    for (const scheme of ['Token', 'Bearer']) {
      const res = await me({ Authorization: `${scheme} ${s.tokens.analyst}` });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ username: 'analyst', role: 'analyst', method: 'token' });
    }
  });

  it('refuses missing, malformed and wrong credentials with 401 and the error body', async () => {
    const cases: Record<string, string>[] = [
      {},
      { Authorization: 'Basic YWRtaW46cGFzc3dvcmQ=' },
      { Authorization: 'Token ' },
      { Authorization: `Token ${s.tokens.admin.slice(0, -1)}${s.tokens.admin.endsWith('x') ? 'y' : 'x'}` },
      { Authorization: 'Token ii_not-a-real-token-at-all-000000000000000000' },
      { Cookie: 'insights_session=forged' },
    ];
    for (const headers of cases) {
      const res = await me(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['code', 'details', 'error']);
      expect(body['code']).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a revoked token and an expired one', async () => {
    const revoked = await s.engine.auth.createToken({ user: 'viewer' });
    expect((await me({ Authorization: `Token ${revoked.key}` })).status).toBe(200);
    await s.engine.auth.revokeToken(revoked.token.id);
    const afterRevoke = await me({ Authorization: `Token ${revoked.key}` });
    expect(afterRevoke.status).toBe(401);
    expect(await afterRevoke.json()).toMatchObject({ error: 'Token has been revoked.' });

    const expiring = await s.engine.auth.createToken({ user: 'viewer', expiresInDays: 1 });
    expect((await me({ Authorization: `Token ${expiring.key}` })).status).toBe(200);
    clock = new Date(clock.getTime() + 86_400_000 + 1000);
    const expired = await me({ Authorization: `Token ${expiring.key}` });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'Token has expired.' });
  });

  it('stores only hashes of tokens and records last use', async () => {
    const page = await s.engine.auth.listTokens({ pageSize: 100 });
    const token = page.results.find((t) => t.username === 'analyst');
    expect(token?.prefix).toBe(s.tokens.analyst.slice(0, 11));
    expect(JSON.stringify(page.results)).not.toContain(s.tokens.analyst);
    expect(token?.last_used_at).toBeInstanceOf(Date);
  });

  it('logs in with a session cookie, needs the CSRF token for unsafe methods, and logs out', async () => {
    const bad = await s.fetch('/api/auth/login/', {
      method: 'POST',
      json: { username: 'analyst', password: 'nope' },
    });
    expect(bad.status).toBe(401);

    const login = await s.fetch('/api/auth/login/', {
      method: 'POST',
      json: { username: 'analyst', password: 'password-analyst' },
    });
    expect(login.status).toBe(200);
    const { csrf_token } = (await login.json()) as { csrf_token: string };
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('insights_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    // The default 14 days as a length the browser counts on its own clock, whatever the server's
    // clock says (here 2026-01-01, not the browser's date).
    expect(session).toMatch(/; Max-Age=1209600(;|$)/);
    expect(session).not.toMatch(/Expires=/);
    const cookie = (session ?? '').split(';')[0] ?? '';

    const read = await me({ Cookie: cookie });
    expect(await read.json()).toMatchObject({ username: 'analyst', method: 'session' });

    const incident = { title: 'from a browser', severity: 'LOW', created_at: '2024-01-01T00:00:00Z' };
    const noCsrf = await s.fetch('/api/incidents/', {
      method: 'POST',
      json: incident,
      headers: { Cookie: cookie },
    });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ code: 'CSRF_FAILED' });
    expect(await s.engine.incidents.count()).toBe(0);

    const withCsrf = await s.fetch('/api/incidents/', {
      method: 'POST',
      json: incident,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token },
    });
    expect(withCsrf.status).toBe(201);

    const logout = await s.fetch('/api/auth/logout/', {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token },
    });
    expect(logout.status).toBe(204);
    expect((await me({ Cookie: cookie })).status).toBe(401);
  });

  it('accepts an OIDC token from the configured issuer and maps the roles claim', async () => {
    const token = await jwt({
      preferred_username: 'sso-user',
      realm_access: { roles: ['analyst', 'executive'] },
    });
    const res = await me({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      username: string;
      role: string;
      roles: string[];
      method: string;
      id: string;
    };
    expect(body).toMatchObject({ username: 'sso-user', role: 'analyst', method: 'oidc' });
    expect(body.roles).toEqual(['analyst', 'executive']);
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses OIDC tokens that are expired, badly signed, for another audience or from another issuer', async () => {
    const now = Math.floor(clock.getTime() / 1000);
    const cases = {
      expired: await jwt({}, { exp: now - 60 }),
      'bad signature': await jwt({}, { key: otherKey }),
      'wrong audience': await jwt({}, { aud: 'someone-else' }),
      'unknown issuer': await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer('https://evil.test')
        .setSubject('x')
        .setAudience(audience)
        .setExpirationTime(now + 300)
        .sign(signingKey),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await me({ Authorization: `Bearer ${token}` });
      expect(res.status, name).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('permissions', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('lets only admins manage users and tokens, and changes nothing on 403', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      expect((await s.fetch('/api/auth/users/', { as: role })).status).toBe(403);
      const create = await s.fetch('/api/auth/users/', {
        method: 'POST',
        as: role,
        json: { username: 'intruder', role: 'admin', password: 'password123' },
      });
      expect(create.status).toBe(403);
      expect(await create.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await s.engine.auth.countUsers()).toBe(3);

    const created = await s.fetch('/api/auth/users/', {
      method: 'POST',
      as: 'admin',
      json: { username: 'newbie', role: 'viewer', password: 'password123' },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const dup = await s.fetch('/api/auth/users/', {
      method: 'POST',
      as: 'admin',
      json: { username: 'newbie', role: 'viewer' },
    });
    expect(dup.status).toBe(409);

    const token = await s.fetch('/api/auth/tokens/', {
      method: 'POST',
      as: 'admin',
      json: { user: 'newbie' },
    });
    expect(token.status).toBe(201);
    const { key, id } = (await token.json()) as { key: string; id: string };
    const asNewbie = await s.fetch('/api/auth/me/', { headers: { Authorization: `Token ${key}` } });
    expect(asNewbie.status).toBe(200);

    const list = await s.fetch('/api/auth/tokens/?user_id=' + user.id, { as: 'admin' });
    const page = (await list.json()) as { count: number; results: { id: string }[] };
    expect(page.count).toBe(1);
    expect(JSON.stringify(page)).not.toContain(key);

    expect((await s.fetch(`/api/auth/tokens/${id}/`, { method: 'DELETE', as: 'admin' })).status).toBe(204);
    expect((await s.fetch('/api/auth/me/', { headers: { Authorization: `Token ${key}` } })).status).toBe(401);

    expect((await s.fetch(`/api/auth/users/${user.id}/`, { method: 'DELETE', as: 'admin' })).status).toBe(
      204,
    );
    const after = await s.fetch(`/api/auth/users/${user.id}/`, { as: 'admin' });
    expect(await after.json()).toMatchObject({ is_active: false });
  });

  it('lets viewers read incidents but not write them', async () => {
    expect((await s.fetch('/api/incidents/', { as: 'viewer' })).status).toBe(200);
    const incident = { title: 't', severity: 'LOW', created_at: '2024-01-01T00:00:00Z' };
    expect((await s.fetch('/api/incidents/', { method: 'POST', as: 'viewer', json: incident })).status).toBe(
      403,
    );
    expect((await s.fetch('/api/incidents/', { method: 'POST', as: 'analyst', json: incident })).status).toBe(
      201,
    );
  });
});
