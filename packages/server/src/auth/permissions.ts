import { type Action, type Actor, assertAllowed, systemActor } from '@incident-insights/engine';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Principal } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * The engine actor of a principal: its user id, username and every role name it holds (the holder
 * of the server's local credential is the engine's system actor). The rules themselves live in the
 * engine's policy; the server only says who is asking.
 */
export function actorOf(principal: Principal): Actor {
  if (principal.method === 'local') return systemActor;
  return { userId: principal.id, username: principal.username, roles: principal.roles };
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

/**
 * Route middleware asking the engine's policy whether the caller may perform `action`, so a
 * refusal (403, the engine's FORBIDDEN) comes before the body is read or anything changes. The
 * engine checks again on every service call of the request (`c.var.engine` is `engine.as(caller)`).
 * Put it in `createRoute({ middleware: [requireAllowed('analyses.write')] })`.
 */
export function requireAllowed(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertAllowed(actorOf(currentPrincipal(c)), action);
    await next();
  };
}
