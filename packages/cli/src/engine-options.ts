import { defaultDatabasePath, type Engine, openEngine } from '@incident-insights/engine';
import type { Command } from 'commander';
import { explainLockError } from './backend/database-lock.ts';

/** The database every command works on: `--db`, else `INSIGHTS_DB`, else the default file. */
export function databasePath(command: Command): string {
  const options = command.optsWithGlobals<{ db?: string }>();
  return options.db ?? process.env['INSIGHTS_DB'] ?? defaultDatabasePath;
}

/**
 * Opens the engine for a command, runs `work`, and always closes it. A database another process
 * holds fails with one line saying which process (see {@link explainLockError}), not DuckDB's text.
 */
export async function withEngine<T>(command: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const path = databasePath(command);
  let engine: Engine;
  try {
    engine = await openEngine({ path });
  } catch (error) {
    throw explainLockError(error, path);
  }
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
