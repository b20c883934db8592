import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { type Role, roles } from '../schema/enums.ts';
import { bind, type Row } from '../store/database.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../store/list-query.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { digestsEqual, randomSecret, sha256, tokenKeyPrefix, tokenLookupLength } from './secrets.ts';
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

const usernamePattern = /^[\w.@+-]{1,150}$/;
const userColumns = 'id::VARCHAR AS id, username, email, role, is_active, created_at, updated_at';
/** How stale `last_used_at` may get before a request writes it again (saves a write per request). */
const lastUsedResolutionMs = 60_000;

const userList: ListSpec = {
  from: 'users',
  select: userColumns,
  filters: { role: { column: 'role', op: 'eq' }, is_active: { column: 'is_active', op: 'eq' } },
  orderable: { username: 'username', created_at: 'created_at', role: 'role' },
  searchable: ['username', 'email'],
  defaultOrdering: 'username',
};

const tokenList: ListSpec = {
  from: 'api_tokens t JOIN users u ON u.id = t.user_id',
  select: `t.id::VARCHAR AS id, t.user_id::VARCHAR AS user_id, u.username, t.name, t.token_prefix AS prefix,
    t.created_at, t.expires_at, t.revoked_at, t.last_used_at`,
  filters: { user_id: { column: 't.user_id::VARCHAR', op: 'eq' } },
  orderable: { created_at: 't.created_at', name: 't.name', username: 'u.username' },
  searchable: ['t.name', 'u.username'],
  defaultOrdering: '-created_at',
};

/**
 * Users, API tokens and browser sessions. Secrets (passwords, token keys, session keys, CSRF
 * tokens) are stored only as hashes: passwords with scrypt, random keys with SHA-256.
 */
export class AuthService {
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
    if (input.password !== undefined) checkPassword(input.password);
    const hash = input.password === undefined ? null : await hashPassword(input.password);
    const now = this.context.now();
    const id = randomUUID();
    await this.context.db.exclusive(async (conn) => {
      const { values } = bind({ username: input.username });
      const taken = await conn.runAndReadAll('SELECT 1 FROM users WHERE username = $username', values);
      if (taken.currentRowCount > 0) {
        throw new EngineError('CONFLICT', `username ${input.username} is taken`, { field: 'username' });
      }
      const insert = bind({
        id,
        username: input.username,
        email: input.email ?? null,
        hash,
        role: input.role,
        now,
      });
      await conn.run(
        'INSERT INTO users VALUES ($id, $username, $email, $hash, $role, true, $now, $now)',
        insert.values,
      );
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
  listUsers(request: ListRequest = {}): Promise<Page<User>> {
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
    if (patch.password !== undefined) checkPassword(patch.password);
    const hash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    const now = this.context.now();
    await this.context.db.transaction(async (conn) => {
      const sets = ['updated_at = $now'];
      const params: Record<string, unknown> = { id: user.id, now };
      if (patch.email !== undefined) sets.push('email = $email'), (params['email'] = patch.email);
      if (patch.role !== undefined) sets.push('role = $role'), (params['role'] = patch.role);
      if (hash !== undefined) sets.push('password_hash = $hash'), (params['hash'] = hash);
      if (patch.is_active !== undefined)
        sets.push('is_active = $active'), (params['active'] = patch.is_active);
      await conn.run(
        `UPDATE users SET ${sets.join(', ')} WHERE id = $id::UUID`,
        bind(params as never).values,
      );
      if (patch.is_active === false) {
        const ids = bind({ id: user.id, now }).values;
        await conn.run(
          'UPDATE api_tokens SET revoked_at = $now WHERE user_id = $id::UUID AND revoked_at IS NULL',
          ids,
        );
        await conn.run('DELETE FROM sessions WHERE user_id = $id::UUID', bind({ id: user.id }).values);
      }
    });
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
  listTokens(request: ListRequest = {}): Promise<Page<ApiToken>> {
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
   * Revokes a token by id or by its shown prefix (e.g. `ii_AbCdEfGh`). Revoking twice is harmless.
   *
   * @throws EngineError NOT_FOUND; CONFLICT when a prefix matches more than one token.
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
    await this.context.db.run(
      'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $now) WHERE id = $id::UUID',
      { id, now: this.context.now() },
    );
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
    const candidates = await this.context.db.all<{
      id: string;
      user_id: string;
      token_hash: string;
      expires_at: Date | null;
      revoked_at: Date | null;
      last_used_at: Date | null;
    }>(
      `SELECT id::VARCHAR AS id, user_id::VARCHAR AS user_id, token_hash, expires_at, revoked_at, last_used_at
       FROM api_tokens WHERE token_prefix = $prefix`,
      { prefix: key.slice(0, tokenLookupLength) },
    );
    const digest = sha256(key);
    const match = candidates.find((c) => digestsEqual(c.token_hash, digest));
    if (!match) throw invalid();
    const now = this.context.now();
    if (match.revoked_at)
      throw new EngineError('UNAUTHENTICATED', 'Token has been revoked.', { reason: 'revoked' });
    if (match.expires_at && match.expires_at.getTime() <= now.getTime()) {
      throw new EngineError('UNAUTHENTICATED', 'Token has expired.', { reason: 'expired' });
    }
    const user = await this.getUser(match.user_id);
    if (!user.is_active) {
      throw new EngineError('UNAUTHENTICATED', 'User inactive or deleted.', { reason: 'inactive' });
    }
    if (!match.last_used_at || now.getTime() - match.last_used_at.getTime() >= lastUsedResolutionMs) {
      await this.context.db.run('UPDATE api_tokens SET last_used_at = $now WHERE id = $id::UUID', {
        id: match.id,
        now,
      });
    }
    return { user, tokenId: match.id };
  }

  /**
   * Checks a username and password and opens a session of `ttlSeconds` (default 14 days).
   *
   * @throws EngineError UNAUTHENTICATED with one message for every failure (no user enumeration).
   */
  async login(username: string, password: string, ttlSeconds = 14 * 86_400): Promise<LoginResult> {
    const row = await this.context.db.one<{ id: string; password_hash: string | null; is_active: boolean }>(
      'SELECT id::VARCHAR AS id, password_hash, is_active FROM users WHERE username = $username',
      { username },
    );
    const ok = await verifyPassword(password, row?.password_hash);
    if (!row || !ok || !row.is_active) {
      throw new EngineError('UNAUTHENTICATED', 'Unable to log in with provided credentials.', {
        reason: 'invalid_credentials',
      });
    }
    const sessionKey = randomSecret();
    const csrfToken = randomSecret();
    const now = this.context.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    await this.context.db.run('INSERT INTO sessions VALUES ($id, $user, $session, $csrf, $now, $expires)', {
      id: randomUUID(),
      user: row.id,
      session: sha256(sessionKey),
      csrf: sha256(csrfToken),
      now,
      expires: expiresAt,
    });
    return { user: await this.getUser(row.id), sessionKey, csrfToken, expiresAt };
  }

  /**
   * Verifies a session key (from the cookie) and, when given, the request's CSRF token.
   *
   * @throws EngineError UNAUTHENTICATED for an unknown or expired session or an inactive user.
   */
  async authenticateSession(sessionKey: string, csrfToken?: string | null): Promise<SessionAuth> {
    const row = await this.context.db.one<{
      id: string;
      user_id: string;
      csrf_hash: string;
      expires_at: Date;
    }>(
      `SELECT id::VARCHAR AS id, user_id::VARCHAR AS user_id, csrf_hash, expires_at
       FROM sessions WHERE session_hash = $hash`,
      { hash: sha256(sessionKey) },
    );
    if (!row || row.expires_at.getTime() <= this.context.now().getTime()) {
      throw new EngineError('UNAUTHENTICATED', 'Session expired or invalid; log in again.', {
        reason: row ? 'expired' : 'invalid',
      });
    }
    const user = await this.getUser(row.user_id);
    if (!user.is_active) {
      throw new EngineError('UNAUTHENTICATED', 'User inactive or deleted.', { reason: 'inactive' });
    }
    const csrfValid = typeof csrfToken === 'string' && digestsEqual(row.csrf_hash, sha256(csrfToken));
    return { user, sessionId: row.id, expiresAt: row.expires_at, csrfValid };
  }

  /** Ends the session with this key (no error when there is none). */
  async logout(sessionKey: string): Promise<void> {
    await this.context.db.run('DELETE FROM sessions WHERE session_hash = $hash', {
      hash: sha256(sessionKey),
    });
  }
}

function toUser(row: Row): User {
  return row as unknown as User;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) {
    throw new EngineError('VALIDATION_ERROR', 'username must be 1-150 letters, digits or @.+-_ characters', {
      field: 'username',
    });
  }
}

function checkRole(role: string): asserts role is Role {
  if (!(roles as readonly string[]).includes(role)) {
    throw new EngineError('VALIDATION_ERROR', `role must be one of ${roles.join(', ')}`, {
      field: 'role',
      allowed: roles,
    });
  }
}

function checkPassword(password: string): void {
  if (password.length < 8 || password.length > 1024) {
    throw new EngineError('VALIDATION_ERROR', 'password must be 8 to 1024 characters', { field: 'password' });
  }
}
