import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import type { TokenListFilters, UserListFilters } from './auth-rules.ts';
import {
  checkPassword,
  checkRole,
  checkUsername,
  isUuid,
  lastUsedResolutionMs,
  tokenList,
  toUser,
  userColumns,
  userList,
} from './auth-rules.ts';
import { hashPassword } from './passwords.ts';
import { digestsEqual, randomSecret, sha256, tokenKeyPrefix, tokenLookupLength } from './secrets.ts';
import { authenticateSession, login, logout } from './sessions.ts';
import { TokenCache, type VerifiedToken } from './token-cache.ts';
import type {
  ApiToken,
  CreatedToken,
  LoginResult,
  NewToken,
  NewUser,
  SessionAuth,
  TokenAuth,
  User,
  UserPatch,
} from './types.ts';
import { extraRoleNames, rolesColumn, writeExtraRoles } from './user-roles.ts';

/**
 * Users, API tokens and browser sessions. Secrets (passwords, token keys, session keys, CSRF
 * tokens) are stored only as hashes: passwords with scrypt, random keys with SHA-256.
 */
export class AuthService {
  /** Recently verified tokens; cleared on every change to tokens or users. */
  private readonly tokens = new TokenCache();

  constructor(private readonly context: EngineContext) {}

  /**
   * Creates a user.
   *
   * @throws EngineError VALIDATION_ERROR for a bad username, role or short password; CONFLICT when
   *   the username is taken.
   */
  async createUser(input: NewUser): Promise<User> {
    checkUsername(input.username);
    checkRole(input.role);
    const extraRoles = extraRoleNames(input.role, input.roles ?? []);
    if (input.password !== undefined) checkPassword(input.password);
    const hash = input.password === undefined ? null : await hashPassword(input.password);
    const now = this.context.now();
    const id = randomUUID();
    await this.context.db.exclusive(async (tx) => {
      const taken = await tx.rows('SELECT 1 FROM users WHERE username = $username', {
        username: input.username,
      });
      if (taken.length > 0) {
        throw new EngineError('CONFLICT', `username ${input.username} is taken`, { field: 'username' });
      }
      const insert = {
        id,
        username: input.username,
        email: input.email ?? null,
        hash,
        role: input.role,
        now,
      };
      await tx.run(
        'INSERT INTO users VALUES ($id, $username, $email, $hash, $role, true, $now, $now)',
        insert,
      );
      await writeExtraRoles(tx, id, extraRoles);
    });
    return this.getUser(id);
  }

  /** @throws EngineError NOT_FOUND */
  async getUser(id: string): Promise<User> {
    if (!isUuid(id)) throw notFound('user', id);
    const row = await this.context.db.one(`SELECT ${userColumns} FROM users WHERE id = $id::UUID`, { id });
    if (!row) throw notFound('user', id);
    return toUser(row);
  }

  /** @throws EngineError NOT_FOUND */
  async getUserByUsername(username: string): Promise<User> {
    const row = await this.context.db.one(`SELECT ${userColumns} FROM users WHERE username = $username`, {
      username,
    });
    if (!row) throw notFound('user', username);
    return toUser(row);
  }

  /** Finds a user by id or, failing that, by username. @throws EngineError NOT_FOUND */
  async findUser(idOrUsername: string): Promise<User> {
    return isUuid(idOrUsername) ? this.getUser(idOrUsername) : this.getUserByUsername(idOrUsername);
  }

  /** One page of users; filters `role`, `is_active`; search over username and email. */
  listUsers(request: ListRequest<UserListFilters> = {}): Promise<Page<User>> {
    return listPage(this.context.db, userList, request, toUser);
  }

  /** Number of user accounts (active or not). */
  async countUsers(): Promise<number> {
    const row = await this.context.db.one<{ n: bigint }>('SELECT count(*) AS n FROM users');
    return Number(row?.n ?? 0);
  }

  /**
   * Changes a user's email, role, password or active flag. Deactivating also revokes the user's
   * tokens and ends their sessions.
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR for a bad role or password.
   */
  async updateUser(id: string, patch: UserPatch): Promise<User> {
    const user = await this.getUser(id);
    if (patch.role !== undefined) checkRole(patch.role);
    const extraRoles =
      patch.roles === undefined ? undefined : extraRoleNames(patch.role ?? user.role, patch.roles);
    if (patch.password !== undefined) checkPassword(patch.password);
    const hash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    const now = this.context.now();
    await this.context.db.transaction(async (tx) => {
      const changes: [string, string, unknown][] = [
        ['email', 'email', patch.email],
        ['role', 'role', patch.role],
        ['password_hash', 'hash', hash],
        ['is_active', 'active', patch.is_active],
      ];
      const sets = ['updated_at = $now'];
      const params: Record<string, unknown> = { id: user.id, now };
      for (const [column, name, value] of changes) {
        if (value === undefined) continue;
        sets.push(`${column} = $${name}`);
        params[name] = value;
      }
      await tx.run(`UPDATE users SET ${sets.join(', ')} WHERE id = $id::UUID`, params as never);
      if (extraRoles !== undefined) await writeExtraRoles(tx, user.id, extraRoles);
      if (patch.is_active === false) {
        await tx.run(
          'UPDATE api_tokens SET revoked_at = $now WHERE user_id = $id::UUID AND revoked_at IS NULL',
          { id: user.id, now },
        );
        await tx.run('DELETE FROM sessions WHERE user_id = $id::UUID', { id: user.id });
      }
    });
    this.tokens.clear();
    return this.getUser(user.id);
  }

  /** Deactivates a user (kept for the record), revoking tokens and sessions. @throws EngineError NOT_FOUND */
  deactivateUser(id: string): Promise<User> {
    return this.updateUser(id, { is_active: false });
  }

  /**
   * Creates an API token for a user. The returned key is the only copy: only its SHA-256 is stored.
   *
   * @throws EngineError NOT_FOUND for an unknown user; VALIDATION_ERROR for an inactive user or a
   *   non-positive lifetime.
   */
  async createToken(input: NewToken): Promise<CreatedToken> {
    const user = await this.findUser(input.user);
    if (!user.is_active) {
      throw new EngineError('VALIDATION_ERROR', `user ${user.username} is inactive`, { field: 'user' });
    }
    const days = input.expiresInDays;
    if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
      throw new EngineError('VALIDATION_ERROR', 'expires_in_days must be a positive number', {
        field: 'expires_in_days',
      });
    }
    const now = this.context.now();
    const key = tokenKeyPrefix + randomSecret();
    const id = randomUUID();
    await this.context.db.run(
      'INSERT INTO api_tokens VALUES ($id, $user, $name, $prefix, $hash, $now, $expires, NULL, NULL)',
      {
        id,
        user: user.id,
        name: input.name ?? null,
        prefix: key.slice(0, tokenLookupLength),
        hash: sha256(key),
        now,
        expires: days === undefined ? null : new Date(now.getTime() + days * 86_400_000),
      },
    );
    return { token: await this.getToken(id), key };
  }

  /** One page of tokens (never their keys); filter `user_id`. */
  listTokens(request: ListRequest<TokenListFilters> = {}): Promise<Page<ApiToken>> {
    return listPage(this.context.db, tokenList, request, (row) => row as unknown as ApiToken);
  }

  /** @throws EngineError NOT_FOUND */
  async getToken(id: string): Promise<ApiToken> {
    if (!isUuid(id)) throw notFound('token', id);
    const rows = await this.context.db.all(
      `SELECT ${tokenList.select} FROM ${tokenList.from} WHERE t.id = $id::UUID`,
      { id },
    );
    if (!rows[0]) throw notFound('token', id);
    return rows[0] as unknown as ApiToken;
  }

  /**
   * Revokes a token by id or by its shown prefix (e.g. `ii_AbCdEfGh`). A token already revoked is
   * left as it was and reported: CONFLICT "token ii_... is already revoked (since ...)".
   *
   * @throws EngineError NOT_FOUND; CONFLICT when a prefix matches more than one token or the token
   *   is already revoked (`details`: id, prefix, revoked_at).
   */
  async revokeToken(idOrPrefix: string): Promise<ApiToken> {
    const rows = await this.context.db.all<{ id: string }>(
      isUuid(idOrPrefix)
        ? 'SELECT id::VARCHAR AS id FROM api_tokens WHERE id = $key::UUID'
        : 'SELECT id::VARCHAR AS id FROM api_tokens WHERE starts_with(token_prefix, $key) AND length($key) >= 6',
      { key: idOrPrefix },
    );
    if (rows.length > 1) {
      throw new EngineError('CONFLICT', `prefix ${idOrPrefix} matches ${rows.length} tokens; use the id`);
    }
    const id = rows[0]?.id;
    if (!id) throw notFound('token', idOrPrefix);
    const current = await this.getToken(id);
    if (current.revoked_at) {
      throw new EngineError(
        'CONFLICT',
        `token ${current.prefix} is already revoked (since ${current.revoked_at.toISOString()})`,
        { id, prefix: current.prefix, revoked_at: current.revoked_at.toISOString() },
      );
    }
    await this.context.db.run(
      'UPDATE api_tokens SET revoked_at = $now WHERE id = $id::UUID AND revoked_at IS NULL',
      {
        id,
        now: this.context.now(),
      },
    );
    this.tokens.clear();
    return this.getToken(id);
  }

  /**
   * Verifies an API token key: found by its clear prefix, then its SHA-256 compared in constant
   * time; it must be unrevoked, unexpired and belong to an active user.
   *
   * @throws EngineError UNAUTHENTICATED (`details.reason`: invalid, revoked, expired, inactive).
   */
  async authenticateToken(key: string): Promise<TokenAuth> {
    const invalid = () => new EngineError('UNAUTHENTICATED', 'Invalid token.', { reason: 'invalid' });
    if (!key.startsWith(tokenKeyPrefix) || key.length < tokenLookupLength + 8) throw invalid();
    const prefix = key.slice(0, tokenLookupLength);
    const digest = sha256(key);
    const now = this.context.now();
    const verified =
      this.tokens.find(prefix, digest, now.getTime()) ?? (await this.verifyStored(prefix, digest, now));
    if (verified.expiresAt && verified.expiresAt.getTime() <= now.getTime()) {
      throw new EngineError('UNAUTHENTICATED', 'Token has expired.', { reason: 'expired' });
    }
    if (!verified.lastUsedAt || now.getTime() - verified.lastUsedAt.getTime() >= lastUsedResolutionMs) {
      verified.lastUsedAt = now;
      await this.context.db.run('UPDATE api_tokens SET last_used_at = $now WHERE id = $id::UUID', {
        id: verified.tokenId,
        now,
      });
    }
    return { user: verified.user, tokenId: verified.tokenId };
  }

  /** Looks a token up in the store (one query joining its owner) and caches it when usable. */
  private async verifyStored(prefix: string, digest: string, now: Date): Promise<VerifiedToken> {
    const candidates = await this.context.db.all<{
      token_id: string;
      token_hash: string;
      expires_at: Date | null;
      revoked_at: Date | null;
      last_used_at: Date | null;
    }>(
      `SELECT t.id::VARCHAR AS token_id, t.token_hash, t.expires_at, t.revoked_at, t.last_used_at,
         u.id::VARCHAR AS id, u.username, u.email, u.role, u.is_active, u.created_at, u.updated_at,
         ${rolesColumn('u')}
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_prefix = $prefix`,
      { prefix },
    );
    const match = candidates.find((c) => digestsEqual(c.token_hash, digest));
    if (!match) throw new EngineError('UNAUTHENTICATED', 'Invalid token.', { reason: 'invalid' });
    if (match.revoked_at) {
      throw new EngineError('UNAUTHENTICATED', 'Token has been revoked.', { reason: 'revoked' });
    }
    const { token_id, token_hash, expires_at, revoked_at: _r, last_used_at, ...userRow } = match;
    const user = toUser(userRow);
    if (!user.is_active) {
      throw new EngineError('UNAUTHENTICATED', 'User inactive or deleted.', { reason: 'inactive' });
    }
    const verified: VerifiedToken = {
      tokenId: token_id,
      digest: token_hash,
      user,
      expiresAt: expires_at,
      lastUsedAt: last_used_at,
      checkedAt: now.getTime(),
    };
    this.tokens.put(prefix, verified);
    return verified;
  }

  /**
   * Checks a username and password and opens a session of `ttlSeconds` (default 14 days).
   *
   * @throws EngineError UNAUTHENTICATED with one message for every failure (no user enumeration).
   */
  login(username: string, password: string, ttlSeconds = 14 * 86_400): Promise<LoginResult> {
    return login(this.context, username, password, ttlSeconds);
  }

  /**
   * Verifies a session key (from the cookie) and, when given, the request's CSRF token.
   *
   * @throws EngineError UNAUTHENTICATED for an unknown or expired session or an inactive user.
   */
  authenticateSession(sessionKey: string, csrfToken?: string | null): Promise<SessionAuth> {
    return authenticateSession(this.context, sessionKey, csrfToken);
  }

  /** Ends the session with this key (no error when there is none). */
  logout(sessionKey: string): Promise<void> {
    return logout(this.context, sessionKey);
  }
}
