import { EngineError } from '../errors.ts';
import { type Role, roles } from '../schema/enums.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import type { User } from './types.ts';
import { rolesColumn } from './user-roles.ts';

const usernamePattern = /^[\w.@+-]{1,150}$/;
/** Columns of a {@link User} (never the password hash), from `users` unaliased. */
export const userColumns = `id::VARCHAR AS id, username, email, role, is_active, created_at, updated_at,
  ${rolesColumn('users')}`;
/** How stale `last_used_at` may get before a request writes it again (saves a write per request). */
export const lastUsedResolutionMs = 60_000;

/** The filters of `engine.auth.listUsers`. */
export type UserListFilters = {
  readonly role?: string | undefined;
  readonly is_active?: boolean | undefined;
};

/** The filters of `engine.auth.listTokens`. */
export type TokenListFilters = {
  readonly user_id?: string | undefined;
};

/** Listing of users: filters role and is_active; search over username and email. */
export const userList: ListSpec = {
  from: 'users',
  select: userColumns,
  filters: { role: { column: 'role', op: 'eq' }, is_active: { column: 'is_active', op: 'eq' } },
  orderable: { username: 'username', created_at: 'created_at', role: 'role' },
  searchable: ['username', 'email'],
  defaultOrdering: 'username',
};

/** Listing of tokens with their owner's username; filter user_id. */
export const tokenList: ListSpec = {
  from: 'api_tokens t JOIN users u ON u.id = t.user_id',
  select: `t.id::VARCHAR AS id, t.user_id::VARCHAR AS user_id, u.username, t.name, t.token_prefix AS prefix,
    t.created_at, t.expires_at, t.revoked_at, t.last_used_at`,
  filters: { user_id: { column: 't.user_id::VARCHAR', op: 'eq' } },
  orderable: { created_at: 't.created_at', name: 't.name', username: 'u.username' },
  searchable: ['t.name', 'u.username'],
  defaultOrdering: '-created_at',
};

/** A users row as a {@link User}. */
export function toUser(row: Row): User {
  return row as unknown as User;
}

/** True for a UUID in its canonical text form. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** @throws EngineError VALIDATION_ERROR unless 1-150 letters, digits or @.+-_ */
export function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) {
    throw new EngineError('VALIDATION_ERROR', 'username must be 1-150 letters, digits or @.+-_ characters', {
      field: 'username',
    });
  }
}

/** @throws EngineError VALIDATION_ERROR for an unknown role. */
export function checkRole(role: string): asserts role is Role {
  if (!(roles as readonly string[]).includes(role)) {
    throw new EngineError('VALIDATION_ERROR', `role must be one of ${roles.join(', ')}`, {
      field: 'role',
      allowed: roles,
    });
  }
}

/** @throws EngineError VALIDATION_ERROR unless 8 to 1024 characters. */
export function checkPassword(password: string): void {
  if (password.length < 8 || password.length > 1024) {
    throw new EngineError('VALIDATION_ERROR', 'password must be 8 to 1024 characters', { field: 'password' });
  }
}
