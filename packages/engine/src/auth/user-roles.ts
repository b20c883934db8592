import { EngineError } from '../errors.ts';
import { type Role, roles } from '../schema/enums.ts';
import type { Migration } from '../store/migrations.ts';
import type { Transaction } from '../store/transaction.ts';

/**
 * Migration 2: role names a local user holds beside its permission role (`executive`, `manager`,
 * ...), one row each. They open resources that list them (a dashboard's `allowed_roles`) and never
 * change what the permission role allows.
 */
export const userRolesMigration: Migration = {
  version: 2,
  name: 'extra role names of users',
  statements: [
    `CREATE TABLE user_roles (
      user_id UUID NOT NULL,
      role_name VARCHAR NOT NULL,
      PRIMARY KEY (user_id, role_name)
    )`,
  ],
};

const roleNamePattern = /^[A-Za-z][\w.-]{0,63}$/;
/** How many extra role names one user may hold. */
const maxExtraRoles = 32;

/**
 * The SQL of a user's `roles` column: its permission role first, then its extra role names in
 * alphabetical order. `users` is the alias (or table name) the users table has in the query.
 */
export function rolesColumn(users: string): string {
  return `list_concat([${users}.role], coalesce((SELECT list(r.role_name ORDER BY r.role_name)
    FROM user_roles r WHERE r.user_id = ${users}.id), []::VARCHAR[])) AS roles`;
}

/**
 * The extra role names of `names` for a user whose permission role is `role`: the permission role
 * itself may be listed (it is dropped), duplicates are dropped, the others are checked.
 *
 * @throws EngineError VALIDATION_ERROR (field `roles`) for a badly formed name, another permission
 * role (a user has exactly one), or more than 32 names.
 */
export function extraRoleNames(role: Role, names: readonly string[]): string[] {
  const extras = [...new Set(names)].filter((name) => name !== role);
  for (const name of extras) {
    if ((roles as readonly string[]).includes(name)) {
      throw invalid(`roles may not add the permission role ${name}: set role instead`, name);
    }
    if (!roleNamePattern.test(name)) {
      throw invalid('a role name is a letter then up to 63 letters, digits or . _ - characters', name);
    }
  }
  if (extras.length > maxExtraRoles) throw invalid(`a user holds at most ${maxExtraRoles} extra role names`);
  return extras.sort();
}

/** Replaces the extra role names of user `userId` with `names` (already checked). */
export async function writeExtraRoles(
  tx: Transaction,
  userId: string,
  names: readonly string[],
): Promise<void> {
  await tx.run('DELETE FROM user_roles WHERE user_id = $id::UUID', { id: userId });
  for (const name of names) {
    await tx.run('INSERT INTO user_roles VALUES ($id::UUID, $name)', { id: userId, name });
  }
}

function invalid(message: string, value?: string): EngineError {
  return new EngineError('VALIDATION_ERROR', message, {
    field: 'roles',
    ...(value === undefined ? {} : { value }),
  });
}
