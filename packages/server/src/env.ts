import type { Engine, Role } from '@incident-insights/engine';
import type { Logger } from 'pino';

/**
 * How a request proved who it is; `local` is the server's own local credential (its runtime file),
 * which the command line on the same machine uses and which acts as the engine's system actor.
 */
export type AuthMethod = 'token' | 'session' | 'oidc' | 'local';

/** The authenticated caller of a request. */
export interface Principal {
  /** User id (UUID). For OIDC callers, a stable UUID derived from issuer and subject. */
  readonly id: string;
  readonly username: string;
  /** The permission role: admin, analyst or viewer. */
  readonly role: Role;
  /** Every role name the caller holds: `role` plus its other names (a local user's extra roles, an OIDC roles claim). */
  readonly roles: readonly string[];
  readonly method: AuthMethod;
}

/** The Hono environment of every route: what middleware puts on the context (`c.var`). */
export interface AppEnv {
  Variables: {
    /** The engine the app serves. */
    engine: Engine;
    /** The caller; set by the authentication middleware on every protected route. */
    principal: Principal;
    /** This request's id (the `X-Request-Id` it came with, or a new UUID); echoed in the response. */
    requestId: string;
    /** A pino child logger carrying the request id. */
    logger: Logger;
  };
}
