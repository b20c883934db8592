import { defaultDatabasePath, type Engine, openEngine } from '@incident-insights/engine';
import type { Command } from 'commander';

/** The database every command works on: `--db`, else `INSIGHTS_DB`, else the default file. */
export function databasePath(command: Command): string {
  const options = command.optsWithGlobals<{ db?: string }>();
  return options.db ?? process.env['INSIGHTS_DB'] ?? defaultDatabasePath;
}

/** Opens the engine for a command, runs `work`, and always closes it. */
export async function withEngine<T>(command: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine({ path: databasePath(command) });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
