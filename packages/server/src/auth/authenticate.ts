import { createHash, timingSafeEqual } from 'node:crypto';
import { type Engine, systemActor, type User } from '@incident-insights/engine';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, AuthMethod, Principal } from '../env.ts';
import { ApiError } from '../errors.ts';
import { looksLikeJwt, type OidcVerifier } from './oidc.ts';
import { actorOf } from './permissions.ts';

/** Name of the session cookie set by `POST /api/auth/login/`. */
export const sessionCookie = 'insights_session';
/** Name of the (script-readable) cookie carrying the CSRF token, for double-submit clients. */
export const csrfCookie = 'insights_csrf';
/** Header in which a session client returns the CSRF token on unsafe methods. */
const csrfHeader = 'X-CSRF-Token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller holding the server's local credential (the command line beside the server): the
 * engine's system actor. Its id is the nil UUID, as it is no stored user.
 */
const localPrincipal: Principal = Object.freeze({
  id: '00000000-0000-0000-0000-000000000000',
  username: systemActor.username,
  role: 'admin',
  roles: Object.freeze([...systemActor.roles]),
  method: 'local',
});

/**
 * Compares a presented credential with the local one in constant time (both hashed first, so the
 * comparison takes the same time whatever their lengths).
 */
function matchesLocal(presented: string, localDigest: Buffer | undefined): boolean {
  if (!localDigest) return false;
  return timingSafeEqual(createHash('sha256').update(presented).digest(), localDigest);
}

/** The principal of a stored user: its permission role and every role name it holds. */
function userPrincipal(user: User, method: AuthMethod): Principal {
  return { id: user.id, username: user.username, role: user.role, roles: user.roles, method };
}

/**
 * Authentication middleware: `Authorization: Token <key>` or `Bearer <key>` (API token),
 * `Bearer <JWT>` (OpenID Connect, when issuers are configured), or the session cookie (plus the
 * CSRF token on unsafe methods). Sets `c.var.principal`, and `c.var.engine` to the engine as that
 * caller (`engine.as(actor)`), so the engine's policy checks every service call of the request.
 * `Token <localCredential>` (the secret of the server's runtime file, held only in memory) is the
 * engine's system actor.
 *
 * @throws ApiError 401 when no credentials or bad ones are given; 403 on a CSRF failure.
 */
export function authenticate(
  engine: Engine,
  oidc: OidcVerifier | undefined,
  localCredential?: string,
): MiddlewareHandler<AppEnv> {
  const localDigest = localCredential ? createHash('sha256').update(localCredential).digest() : undefined;
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (header) {
      const match = /^(\w+)\s+(\S+)\s*$/.exec(header);
      const scheme = match?.[1]?.toLowerCase();
      const credential = match?.[2];
      if (!credential || (scheme !== 'token' && scheme !== 'bearer')) {
        throw new ApiError(401, 'Invalid Authorization header; use "Token <key>" or "Bearer <token>".', {
          headers: { 'WWW-Authenticate': 'Token' },
        });
      }
      if (scheme === 'token' && matchesLocal(credential, localDigest)) {
        admit(c, engine, localPrincipal);
      } else if (scheme === 'bearer' && looksLikeJwt(credential)) {
        if (!oidc) throw new ApiError(401, 'Invalid token.', { details: { reason: 'sso_not_configured' } });
        admit(c, engine, await oidc.verify(credential, engine.now()));
      } else {
        const { user } = await engine.auth.authenticateToken(credential);
        admit(c, engine, userPrincipal(user, 'token'));
      }
      return next();
    }
    const session = getCookie(c, sessionCookie);
    if (session) {
      const auth = await engine.auth.authenticateSession(session, c.req.header(csrfHeader) ?? null);
      if (!safeMethods.has(c.req.method) && !auth.csrfValid) {
        throw new ApiError(403, 'CSRF Failed: CSRF token missing or incorrect.', {
          code: 'CSRF_FAILED',
          details: { header: csrfHeader },
        });
      }
      admit(c, engine, userPrincipal(auth.user, 'session'));
      return next();
    }
    throw new ApiError(401, 'Authentication credentials were not provided.', {
      headers: { 'WWW-Authenticate': 'Token' },
    });
  };
}

/** Records the caller and serves the rest of the request through the engine as that caller. */
function admit(c: Context<AppEnv>, engine: Engine, principal: Principal): void {
  c.set('principal', principal);
  c.set('engine', engine.as(actorOf(principal)));
}
