import { EngineError } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { createToken, findUser, listAllTokens, revokeToken, withBackend } from '../deferred.ts';
import { printable, printJson, renderTable } from '../format.ts';

/**
 * `insights tokens create --user U [--name N] [--expires-in-days D]` (the new token alone on the
 * last line), `insights tokens list [--user U]`, `insights tokens revoke <id|prefix>`.
 */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('Manage API tokens');

  tokens
    .command('create')
    .description('Create an API token; it is printed once, on the last line, and stored only as a hash')
    .requiredOption('--user <user>', 'owner: username or id')
    .option('--name <name>', 'a label for the token')
    .option('--expires-in-days <days>', 'lifetime in days (default: no expiry)')
    .action(async (options: { user: string; name?: string; expiresInDays?: string }, command: Command) => {
      const days = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
      if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
        throw new EngineError('VALIDATION_ERROR', '--expires-in-days must be a positive number');
      }
      const { token, key } = await withBackend(command, (backend) =>
        createToken(backend, { user: options.user, name: options.name ?? null, expiresInDays: days }),
      );
      const expiry = token.expires_at ? `, expires ${new Date(token.expires_at).toISOString()}` : '';
      process.stderr.write(
        `Token ${token.id} for ${printable(token.username)}${expiry}. Store it now; it is not shown again.\n`,
      );
      process.stdout.write(`${key}\n`);
    });

  tokens
    .command('list')
    .description('List tokens (never their keys)')
    .option('--user <user>', 'only this user’s (username or id)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }, command: Command) => {
      const all = await withBackend(command, async (backend) => {
        const userId = options.user === undefined ? undefined : (await findUser(backend, options.user)).id;
        return listAllTokens(backend, userId);
      });
      if (options.json) {
        printJson(all);
        return;
      }
      process.stdout.write(
        `${renderTable(all, [
          { header: 'id', value: (t) => t.id },
          { header: 'prefix', value: (t) => t.prefix },
          { header: 'user', value: (t) => t.username },
          { header: 'name', value: (t) => t.name },
          { header: 'created', value: (t) => t.created_at },
          { header: 'expires', value: (t) => t.expires_at },
          { header: 'revoked', value: (t) => t.revoked_at },
          { header: 'last used', value: (t) => t.last_used_at },
        ])}\n`,
      );
    });

  tokens
    .command('revoke')
    .description('Revoke a token by id or by its prefix (as listed)')
    .argument('<token>', 'token id or prefix')
    .action(async (which: string, _options: unknown, command: Command) => {
      const token = await withBackend(command, (backend) => revokeToken(backend, which));
      process.stdout.write(`Revoked token ${token.prefix} (${token.id}) of ${printable(token.username)}\n`);
    });
}
