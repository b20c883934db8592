import type { Role } from '@incident-insights/engine';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Principal } from '../env.ts';
import { ApiError } from '../errors.ts';

const rank: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

/** True when `principal`'s role is `minimum` or above (viewer < analyst < admin). */
export function hasRole(principal: Principal, minimum: Role): boolean {
  return rank[principal.role] >= rank[minimum];
}

/**
 * Whether `principal` may see something restricted to `allowedRoles` (a dashboard's
 * `allowed_roles`): admins always; others when their role or any of their role names is listed.
 * An empty list restricts nothing.
 */
export function mayAccess(principal: Principal, allowedRoles: readonly string[] | null | undefined): boolean {
  if (!allowedRoles || allowedRoles.length === 0 || principal.role === 'admin') return true;
  return principal.roles.some((name) => allowedRoles.includes(name));
}

/**
 * The authenticated caller of this request.
 *
 * @throws ApiError 401 on a route the authentication middleware does not cover.
 */
export function currentPrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new ApiError(401, 'Authentication credentials were not provided.');
  return principal;
}

/** A 403 with the spec's body. Throw it; nothing has been changed. */
export function forbidden(message = 'You do not have permission to perform this action.'): ApiError {
  return new ApiError(403, message);
}

/**
 * Route middleware admitting callers whose role is at least `minimum`; others get 403 before the
 * body is read or anything changes. Put it in `createRoute({ middleware: [requireRole('analyst')] })`.
 */
export function requireRole(minimum: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = currentPrincipal(c);
    if (!hasRole(principal, minimum)) {
      throw new ApiError(403, 'You do not have permission to perform this action.', {
        details: { required_role: minimum, role: principal.role },
      });
    }
    await next();
  };
}
