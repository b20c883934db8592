import { type ApiToken, EngineError } from '@incident-insights/engine';
import type { Command } from 'commander';
import { withEngine } from '../engine-options.ts';
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
      await withEngine(command, async (engine) => {
        const { token, key } = await engine.auth.createToken({
          user: options.user,
          name: options.name ?? null,
          expiresInDays: days,
        });
        const expiry = token.expires_at ? `, expires ${token.expires_at.toISOString()}` : '';
        process.stderr.write(
          `Token ${token.id} for ${printable(token.username)}${expiry}. Store it now; it is not shown again.\n`,
        );
        process.stdout.write(`${key}\n`);
      });
    });

  tokens
    .command('list')
    .description('List tokens (never their keys)')
    .option('--user <user>', 'only this user’s (username or id)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }, command: Command) => {
      await withEngine(command, async (engine) => {
        const userId = options.user === undefined ? undefined : (await engine.auth.findUser(options.user)).id;
        const all: ApiToken[] = [];
        for (let page = 1; ; page++) {
          const result = await engine.auth.listTokens({ page, pageSize: 100, filters: { user_id: userId } });
          all.push(...result.results);
          if (page * 100 >= result.count) break;
        }
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
    });

  tokens
    .command('revoke')
    .description('Revoke a token by id or by its prefix (as listed)')
    .argument('<token>', 'token id or prefix')
    .action(async (which: string, _options: unknown, command: Command) => {
      await withEngine(command, async (engine) => {
        const token = await engine.auth.revokeToken(which);
        process.stdout.write(`Revoked token ${token.prefix} (${token.id}) of ${printable(token.username)}\n`);
      });
    });
}
