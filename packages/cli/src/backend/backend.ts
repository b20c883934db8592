import type { Engine } from '@incident-insights/engine';
import { readRuntimeFile } from '@incident-insights/server/runtime-file';
import type { Command } from 'commander';
import { databasePath, withEngine } from '../engine-options.ts';
import { ServerClient } from './server-client.ts';

/**
 * Where a command's work goes: the engine opened in this process on the database file, or the
 * running server that holds that file (found by the runtime file `insights serve` leaves beside it).
 */
export type Backend =
  | { readonly kind: 'engine'; readonly engine: Engine }
  | { readonly kind: 'server'; readonly server: ServerClient };

/**
 * Runs `work` on the command's database: through the server that holds it when
 * `readRuntimeFile` finds a live one, else on the engine opened here (and closed after).
 */
export async function withBackend<T>(command: Command, work: (backend: Backend) => Promise<T>): Promise<T> {
  const path = databasePath(command);
  const runtime = path === ':memory:' ? undefined : readRuntimeFile(path);
  if (runtime) return work({ kind: 'server', server: new ServerClient(runtime) });
  return withEngine(command, (engine) => work({ kind: 'engine', engine }));
}
