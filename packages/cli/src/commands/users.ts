import type { Role, User } from '@incident-insights/engine';
import { EngineError, roles } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { deactivateUser, listAllUsers, withBackend } from '../deferred.ts';
import { type AsJson, printable, printJson, renderTable } from '../format.ts';

/**
 * `insights users create --username U --password P --role R[,NAME...] [--email E]`, `insights users list`,
 * `insights users deactivate <id|username>`: the API's user accounts.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage API user accounts');

  users
    .command('create')
    .description('Create a user (password hashed with scrypt)')
    .requiredOption('--username <name>', 'login name')
    .option('--password <password>', 'password, 8+ characters (omit for a token-only account)')
    .requiredOption(
      '--role <role>',
      `one of ${roles.join(', ')}; repeat it or separate with commas to add other role names (--role viewer,executive)`,
      collect,
      [] as string[],
    )
    .option('--email <email>', 'email address')
    .option('--json', 'print the user as JSON')
    .action(
      async (
        options: { username: string; password?: string; role: string[]; email?: string; json?: boolean },
        command: Command,
      ) => {
        const { role, extra } = parseRoles(options.role);
        const input = {
          username: options.username,
          password: options.password,
          email: options.email ?? null,
          role,
          roles: extra,
        };
        const user = await withBackend<User | AsJson<User>>(command, (backend) =>
          backend.kind === 'engine'
            ? backend.engine.auth.createUser(input)
            : backend.server.request<AsJson<User>>('POST', '/api/auth/users/', { json: input }),
        );
        if (options.json) printJson(user);
        else
          process.stdout.write(
            `Created user ${printable(user.username)} (${user.roles.join(', ')}) ${user.id}\n`,
          );
      },
    );

  users
    .command('list')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const all = await withBackend(command, listAllUsers);
      if (options.json) {
        printJson(all);
        return;
      }
      process.stdout.write(
        `${renderTable(all, [
          { header: 'id', value: (u) => u.id },
          { header: 'username', value: (u) => u.username },
          { header: 'role', value: (u) => u.role },
          { header: 'other roles', value: (u) => u.roles.slice(1).join(', ') },
          { header: 'active', value: (u) => (u.is_active ? 'yes' : 'no') },
          { header: 'email', value: (u) => u.email },
          { header: 'created', value: (u) => u.created_at },
        ])}\n`,
      );
    });

  users
    .command('deactivate')
    .description('Deactivate a user: tokens revoked, sessions ended, record kept')
    .argument('<user>', 'user id or username')
    .action(async (who: string, _options: unknown, command: Command) => {
      const user = await withBackend(command, (backend) => deactivateUser(backend, who));
      process.stdout.write(`Deactivated user ${printable(user.username)}\n`);
    });
}

/** Commander collector: every `--role` given, split on commas. */
function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ];
}

/**
 * The permission role and the other role names of `--role`: exactly one of admin, analyst, viewer,
 * plus any other names (checked by the engine).
 */
function parseRoles(names: readonly string[]): { role: Role; extra: string[] } {
  const permission = names.filter((name) => (roles as readonly string[]).includes(name));
  if (new Set(permission).size !== 1) {
    throw new EngineError('VALIDATION_ERROR', `--role must name exactly one of ${roles.join(', ')}`, {
      field: 'role',
    });
  }
  return { role: permission[0] as Role, extra: names.filter((name) => name !== permission[0]) };
}
