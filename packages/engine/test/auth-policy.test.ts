import { describe, expect, it } from 'vitest';
import {
  type Action,
  type Actor,
  actions,
  assertAllowed,
  can,
  canViewDashboard,
  permissionRole,
  systemActor,
} from '../src/auth/policy.ts';
import { methodActions } from '../src/auth/scoped-services.ts';
import { openEngine } from '../src/engine.ts';
import { EngineError } from '../src/errors.ts';

const person = (roles: string[], userId = 'u-1'): Actor => ({ userId, username: 'someone', roles });
const viewer = person(['viewer']);
const analyst = person(['analyst']);
const admin = person(['admin']);

describe('can', () => {
  // The rule written out by hand: viewer reads, analyst writes analyses and incidents, admin everything.
  const expected: Record<Action, [viewer: boolean, analyst: boolean, admin: boolean]> = {
    'resources.read': [true, true, true],
    'analyses.write': [false, true, true],
    'incidents.write': [false, true, true],
    'incidents.delete': [false, false, true],
    'users.manage': [false, false, true],
    'webhooks.manage': [false, false, true],
  };

  it.each(actions)('%s follows the role ladder; the system actor may do it', (action) => {
    expect([can(viewer, action), can(analyst, action), can(admin, action)]).toEqual(expected[action]);
    expect(can(systemActor, action)).toBe(true);
  });

  it('counts the highest permission role and ignores other role names', () => {
    expect(permissionRole(person(['executive', 'analyst', 'viewer']))).toBe('analyst');
    expect(can(person(['executive', 'analyst']), 'analyses.write')).toBe(true);
    expect(can(person(['executive']), 'resources.read')).toBe(false);
    expect(permissionRole(person(['constructor', 'toString']))).toBeNull();
  });

  it('assertAllowed throws FORBIDDEN naming the action and the role it needs', () => {
    expect(() => assertAllowed(analyst, 'analyses.write')).not.toThrow();
    try {
      assertAllowed(viewer, 'analyses.write');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({
        code: 'FORBIDDEN',
        details: { action: 'analyses.write', required_role: 'analyst', roles: ['viewer'] },
      });
    }
  });

  it('names a known action for every checked service method', () => {
    for (const action of Object.values(methodActions)) expect(actions).toContain(action);
  });
});

describe('canViewDashboard (the spec example: allowed_roles ["executive", "manager"])', () => {
  const executiveOnly = { is_public: false, allowed_roles: ['executive', 'manager'], created_by: 'owner' };

  it('shows a public dashboard to everyone', () => {
    expect(canViewDashboard(person(['viewer']), { ...executiveOnly, is_public: true })).toBe(true);
  });

  it('shows a restricted one to its listed roles, its owner, admins and the system only', () => {
    expect(canViewDashboard(person(['viewer', 'executive']), executiveOnly)).toBe(true);
    expect(canViewDashboard(person(['analyst', 'manager']), executiveOnly)).toBe(true);
    expect(canViewDashboard(person(['analyst']), executiveOnly)).toBe(false);
    expect(canViewDashboard(person(['viewer'], 'owner'), executiveOnly)).toBe(true);
    expect(canViewDashboard(admin, executiveOnly)).toBe(true);
    expect(canViewDashboard(systemActor, executiveOnly)).toBe(true);
  });

  it('keeps a private dashboard with no allowed roles to its owner and admins', () => {
    const privateOne = { is_public: false, allowed_roles: [], created_by: 'owner' };
    expect(canViewDashboard(person(['analyst']), privateOne)).toBe(false);
    expect(canViewDashboard(person(['viewer'], 'owner'), privateOne)).toBe(true);
    expect(
      canViewDashboard(person(['viewer'], null as unknown as string), { ...privateOne, created_by: null }),
    ).toBe(false);
  });
});

describe('the scoped services of an engine', () => {
  it('name only methods that exist, so no checked method is a typo', async () => {
    const engine = await openEngine({ path: ':memory:' });
    try {
      for (const name of Object.keys(methodActions)) {
        const path = name.split('.');
        const method = path.pop() as string;
        let owner: unknown = engine;
        for (const part of path) owner = (owner as Record<string, unknown>)[part];
        expect(typeof (owner as Record<string, unknown>)[method], name).toBe('function');
      }
    } finally {
      await engine.close();
    }
  });

  it('refuses a malformed actor with VALIDATION_ERROR, and a method with no action to a person', async () => {
    const engine = await openEngine({ path: ':memory:' });
    try {
      expect(() => engine.as({ userId: null, username: 'x', roles: 'admin' } as unknown as Actor)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
      // authenticateToken has no action: only the system actor (the server's own authentication) calls it.
      await expect(engine.as(admin).auth.authenticateToken('ii_nothing')).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: { method: 'auth.authenticateToken' },
      });
    } finally {
      await engine.close();
    }
  });
});
