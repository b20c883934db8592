import { type Engine, openEngine } from '@incident-insights/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts';

describe('passwords', () => {
  it('are hashed with scrypt and a random salt, and verified', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text')).toBe(false);
  });
});

describe('AuthService', () => {
  let engine: Engine;
  let now = new Date('2026-01-01T00:00:00Z');
  beforeEach(async () => {
    now = new Date('2026-01-01T00:00:00Z');
    engine = await openEngine({ path: ':memory:', now: () => now });
  });
  afterEach(() => engine.close());

  it('creates users, refuses duplicates and bad input, and never returns the hash', async () => {
    const user = await engine.auth.createUser({ username: 'ana', password: 'password1', role: 'analyst' });
    expect(user).toMatchObject({ username: 'ana', role: 'analyst', is_active: true });
    expect(Object.keys(user)).not.toContain('password_hash');
    await expect(engine.auth.createUser({ username: 'ana', role: 'viewer' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(engine.auth.createUser({ username: 'a b', role: 'viewer' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'username' },
    });
    await expect(engine.auth.createUser({ username: 'x', role: 'root' as never })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'role' },
    });
    await expect(
      engine.auth.createUser({ username: 'y', password: 'short', role: 'viewer' }),
    ).rejects.toMatchObject({
      details: { field: 'password' },
    });
    expect(await engine.auth.countUsers()).toBe(1);
    expect((await engine.auth.getUserByUsername('ana')).id).toBe(user.id);
    expect((await engine.auth.listUsers({ filters: { role: 'analyst' } })).count).toBe(1);
  });

  it('issues tokens shown once, verifies them, and refuses revoked, expired and inactive ones', async () => {
    await engine.auth.createUser({ username: 'ana', role: 'analyst' });
    const { key, token } = await engine.auth.createToken({ user: 'ana', expiresInDays: 2 });
    expect(key).toMatch(/^ii_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(key.slice(0, 11));
    expect(token.expires_at?.toISOString()).toBe('2026-01-03T00:00:00.000Z'); // now + 2 days
    const auth = await engine.auth.authenticateToken(key);
    expect(auth.user.username).toBe('ana');
    expect((await engine.auth.getToken(token.id)).last_used_at?.toISOString()).toBe(now.toISOString());

    await expect(
      engine.auth.authenticateToken(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'invalid' },
    });
    now = new Date('2026-01-03T00:00:00Z');
    await expect(engine.auth.authenticateToken(key)).rejects.toMatchObject({
      details: { reason: 'expired' },
    });

    const second = await engine.auth.createToken({ user: 'ana' });
    await engine.auth.revokeToken(second.token.prefix);
    await expect(engine.auth.authenticateToken(second.key)).rejects.toMatchObject({
      details: { reason: 'revoked' },
    });

    const third = await engine.auth.createToken({ user: 'ana' });
    await engine.auth.authenticateToken(third.key); // now remembered by the service
    await engine.auth.deactivateUser((await engine.auth.getUserByUsername('ana')).id);
    await expect(engine.auth.authenticateToken(third.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(engine.auth.createToken({ user: 'ana' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('expires a remembered token on time and forgets tokens on revocation', async () => {
    await engine.auth.createUser({ username: 'bo', role: 'viewer' });
    const short = await engine.auth.createToken({ user: 'bo', expiresInDays: 5 / 86_400 }); // 5 s
    await engine.auth.authenticateToken(short.key);
    now = new Date(now.getTime() + 6000); // within the 10 s the verification is remembered
    await expect(engine.auth.authenticateToken(short.key)).rejects.toMatchObject({
      details: { reason: 'expired' },
    });

    const other = await engine.auth.createToken({ user: 'bo' });
    await engine.auth.authenticateToken(other.key);
    await engine.auth.revokeToken(other.token.id);
    await expect(engine.auth.authenticateToken(other.key)).rejects.toMatchObject({
      details: { reason: 'revoked' },
    });
  });

  it('logs in with a password, checks the CSRF token, expires and ends sessions', async () => {
    await engine.auth.createUser({ username: 'ana', password: 'password1', role: 'analyst' });
    await expect(engine.auth.login('ana', 'wrong-pass')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(engine.auth.login('nobody', 'password1')).rejects.toMatchObject({
      message: 'Unable to log in with provided credentials.',
    });
    const session = await engine.auth.login('ana', 'password1', 3600);
    expect(session.expiresAt.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect((await engine.auth.authenticateSession(session.sessionKey, session.csrfToken)).csrfValid).toBe(
      true,
    );
    expect((await engine.auth.authenticateSession(session.sessionKey, 'forged')).csrfValid).toBe(false);
    expect((await engine.auth.authenticateSession(session.sessionKey)).csrfValid).toBe(false);

    now = new Date('2026-01-01T01:00:00Z');
    await expect(engine.auth.authenticateSession(session.sessionKey)).rejects.toMatchObject({
      details: { reason: 'expired' },
    });
    now = new Date('2026-01-01T00:30:00Z');
    await engine.auth.logout(session.sessionKey);
    await expect(engine.auth.authenticateSession(session.sessionKey)).rejects.toMatchObject({
      details: { reason: 'invalid' },
    });
  });

  it('refuses to revoke a revoked token, saying since when, and keeps the first revocation time', async () => {
    await engine.auth.createUser({ username: 'ana', password: 'password1', role: 'analyst' });
    const created = await engine.auth.createToken({ user: 'ana' });
    const revoked = await engine.auth.revokeToken(created.token.id);
    expect(revoked.revoked_at?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    now = new Date('2026-01-05T00:00:00Z');
    for (const which of [created.token.id, created.token.prefix]) {
      await expect(engine.auth.revokeToken(which)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `token ${created.token.prefix} is already revoked (since 2026-01-01T00:00:00.000Z)`,
        details: { id: created.token.id, revoked_at: '2026-01-01T00:00:00.000Z' },
      });
    }
    expect((await engine.auth.getToken(created.token.id)).revoked_at?.toISOString()).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});
