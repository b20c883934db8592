import { capabilityTasks } from '../capabilities.ts';
import { echoTable, sumColumn } from './arrow-tasks.ts';
import type { Task } from './dispatch.ts';

/**
 * Every task a worker can run, by name: the bridge's own (`arrow.*`) and those the registered
 * capability modules declare (`CapabilityModule.tasks`). A task takes a structured-cloneable
 * payload (Arrow tables as IPC `Uint8Array`s, see `tableToTransferable`) and returns a
 * structured-cloneable result; typed arrays in the result are moved, not copied. The worker loads
 * the module files, never the services (they are imported lazily by `createService`).
 */
export const tasks: Record<string, Task> = {
  'arrow.sum': sumColumn,
  'arrow.echo': echoTable,
  ...capabilityTasks(),
};
