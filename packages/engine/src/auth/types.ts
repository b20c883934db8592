import type { Role } from '../schema/enums.ts';

/** A user account as the engine returns it (never with its password hash). */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly role: Role;
  /**
   * Every role name the user holds: `role` first, then its extra names (`executive`, ...) in
   * alphabetical order. Extra names open resources that list them (a dashboard's `allowed_roles`).
   */
  readonly roles: readonly string[];
  readonly is_active: boolean;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** What {@link AuthService.createUser} takes. */
export interface NewUser {
  /** 1–150 characters: letters, digits and `@ . + - _` (Django's rule). */
  readonly username: string;
  /** Plain-text password (8+ characters); hashed with scrypt. Omit for an account that only uses tokens. */
  readonly password?: string | undefined;
  readonly email?: string | null | undefined;
  readonly role: Role;
  /** Extra role names beside `role` (e.g. `executive`, `manager`); `role` itself may be listed. */
  readonly roles?: readonly string[] | undefined;
}

/** Changes {@link AuthService.updateUser} applies; absent fields stay. */
export interface UserPatch {
  readonly email?: string | null | undefined;
  readonly role?: Role | undefined;
  /** Replaces the extra role names (an empty list removes them all). */
  readonly roles?: readonly string[] | undefined;
  readonly password?: string | undefined;
  readonly is_active?: boolean | undefined;
}

/** An API token's record. The key itself is only ever returned once, by {@link AuthService.createToken}. */
export interface ApiToken {
  readonly id: string;
  readonly user_id: string;
  readonly username: string;
  readonly name: string | null;
  /** The first characters of the key, stored in clear to recognise it (e.g. `ii_AbCdEfGh`). */
  readonly prefix: string;
  readonly created_at: Date;
  readonly expires_at: Date | null;
  readonly revoked_at: Date | null;
  readonly last_used_at: Date | null;
}

/** What {@link AuthService.createToken} takes. */
export interface NewToken {
  /** Owner, by id or username. */
  readonly user: string;
  readonly name?: string | null | undefined;
  /** Lifetime in days from now (fractional allowed); omit for a token that never expires. */
  readonly expiresInDays?: number | undefined;
}

/** A freshly created token with its secret key, which is not stored and cannot be shown again. */
export interface CreatedToken {
  readonly token: ApiToken;
  readonly key: string;
}

/** The result of a successful login. */
export interface LoginResult {
  readonly user: User;
  /** The session key for the cookie; only its hash is stored. */
  readonly sessionKey: string;
  /** The CSRF token a client sends back in `X-CSRF-Token` on unsafe requests. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** A verified session. */
export interface SessionAuth {
  readonly user: User;
  readonly sessionId: string;
  readonly expiresAt: Date;
  /** Whether the CSRF token given to {@link AuthService.authenticateSession} matches the session's. */
  readonly csrfValid: boolean;
}

/** A verified API token. */
export interface TokenAuth {
  readonly user: User;
  readonly tokenId: string;
}
