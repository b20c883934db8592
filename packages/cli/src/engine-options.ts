import {
  defaultDatabasePath,
  type Engine,
  EngineError,
  type EngineOptions,
  openEngine,
} from '@incident-insights/engine';
import type { Command } from 'commander';
import { explainLockError } from './backend/database-lock.ts';

/** The database every command works on: `--db`, else `INSIGHTS_DB`, else the default file. */
export function databasePath(command: Command): string {
  const options = command.optsWithGlobals<{ db?: string }>();
  return options.db ?? process.env['INSIGHTS_DB'] ?? defaultDatabasePath;
}

/** The webhook options of the engine a command opens. */
type WebhookOptions = NonNullable<EngineOptions['webhooks']>;

/** A comma-separated list of host names: trimmed, empty items dropped. */
export function hostList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

/** A whole number of milliseconds, 1 or more, from an environment variable; absent when unset. */
function envMilliseconds(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new EngineError('VALIDATION_ERROR', `${name} must be a whole number of milliseconds, 1 or more`, {
      field: name,
    });
  }
  return Number(text);
}

/**
 * The webhook options from the environment: `INSIGHTS_WEBHOOK_ALLOW` (hosts allowed although they
 * resolve to private, loopback or link-local addresses; `extraAllow` adds to them), and
 * `INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS` and `INSIGHTS_WEBHOOK_RETRY_HORIZON_MS` (the first pause
 * before a retry and the retry horizon; the defaults, 30 s and 24 h, suit production, shorter ones
 * suit tests).
 *
 * @throws EngineError VALIDATION_ERROR naming a variable that is not a whole number of milliseconds.
 */
function webhookOptions(extraAllow: readonly string[]): WebhookOptions {
  const allowHosts = [...new Set([...hostList(process.env['INSIGHTS_WEBHOOK_ALLOW']), ...extraAllow])];
  const initialBackoffMs = envMilliseconds('INSIGHTS_WEBHOOK_INITIAL_BACKOFF_MS');
  const retryHorizonMs = envMilliseconds('INSIGHTS_WEBHOOK_RETRY_HORIZON_MS');
  return {
    allowHosts,
    ...(initialBackoffMs === undefined ? {} : { initialBackoffMs }),
    ...(retryHorizonMs === undefined ? {} : { retryHorizonMs }),
  };
}

/**
 * Opens the engine for a command, runs `work`, and always closes it. A database another process
 * holds fails with one line saying which process (see {@link explainLockError}), not DuckDB's text.
 * The webhook options come from the environment (see {@link webhookOptions}), with the hosts of
 * `options.webhookAllow` (`insights serve --webhook-allow`) allowed too.
 */
export async function withEngine<T>(
  command: Command,
  work: (engine: Engine) => Promise<T>,
  options: { webhookAllow?: readonly string[] } = {},
): Promise<T> {
  const path = databasePath(command);
  const webhooks = webhookOptions(options.webhookAllow ?? []);
  let engine: Engine;
  try {
    engine = await openEngine({ path, webhooks });
  } catch (error) {
    throw explainLockError(error, path);
  }
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
