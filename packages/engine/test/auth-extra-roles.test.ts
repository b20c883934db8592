import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canViewDashboard } from '../src/auth/policy.ts';
import { type Engine, openEngine } from '../src/engine.ts';

let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2024-01-02T00:00:00Z') });
});
afterAll(() => engine.close());

async function code(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: { code?: string; details?: unknown }) => ({ code: error.code, details: error.details }),
  );
}

describe('extra role names of local users', () => {
  it('stores them beside the permission role and returns role first, the others sorted', async () => {
    const user = await engine.auth.createUser({
      username: 'erin',
      role: 'viewer',
      roles: ['manager', 'viewer', 'executive', 'manager'],
    });
    expect(user.role).toBe('viewer');
    expect(user.roles).toEqual(['viewer', 'executive', 'manager']);
    expect((await engine.auth.getUserByUsername('erin')).roles).toEqual(['viewer', 'executive', 'manager']);
    const listed = await engine.auth.listUsers({ search: 'erin' });
    expect(listed.results.map((u) => u.roles)).toEqual([['viewer', 'executive', 'manager']]);
    // A user without extra names holds just its role.
    expect((await engine.auth.createUser({ username: 'plain', role: 'analyst' })).roles).toEqual(['analyst']);
  });

  it('carries them through token authentication, so they reach the policy', async () => {
    const { key } = await engine.auth.createToken({ user: 'erin' });
    const { user } = await engine.auth.authenticateToken(key);
    expect(user.roles).toEqual(['viewer', 'executive', 'manager']);
    const dashboard = { is_public: false, allowed_roles: ['executive', 'manager'], created_by: null };
    expect(canViewDashboard({ userId: user.id, username: user.username, roles: user.roles }, dashboard)).toBe(
      true,
    );
  });

  it('replaces them on update; an empty list removes them', async () => {
    const erin = await engine.auth.getUserByUsername('erin');
    expect((await engine.auth.updateUser(erin.id, { roles: ['executive'] })).roles).toEqual([
      'viewer',
      'executive',
    ]);
    expect((await engine.auth.updateUser(erin.id, { role: 'analyst' })).roles).toEqual([
      'analyst',
      'executive',
    ]);
    expect((await engine.auth.updateUser(erin.id, { roles: [] })).roles).toEqual(['analyst']);
  });

  it('refuses a second permission role or a malformed name, and changes nothing', async () => {
    expect(
      await code(engine.auth.createUser({ username: 'x1', role: 'viewer', roles: ['admin'] })),
    ).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'roles', value: 'admin' },
    });
    expect(
      await code(engine.auth.createUser({ username: 'x2', role: 'viewer', roles: ['no spaces'] })),
    ).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'roles' },
    });
    expect(await code(engine.auth.getUserByUsername('x1'))).toMatchObject({ code: 'NOT_FOUND' });
    const plain = await engine.auth.getUserByUsername('plain');
    expect(await code(engine.auth.updateUser(plain.id, { roles: ['admin'] }))).toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect((await engine.auth.getUser(plain.id)).roles).toEqual(['analyst']);
  });
});
