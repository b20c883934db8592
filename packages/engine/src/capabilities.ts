import { anomalyModule } from './anomaly/module.ts';
import { authModule } from './auth/module.ts';
import type { CapabilityModule } from './capability.ts';
import { costsModule } from './cost/module.ts';
import { dashboardsModule } from './dashboards/module.ts';
import { heatmapsModule } from './heatmaps/module.ts';
import { incidentsModule } from './incidents/module.ts';
import { insightsModule } from './insights/module.ts';
import { jobsModule } from './jobs/module.ts';
import { kpiModule } from './kpi/module.ts';
import { modelsModule } from './models/module.ts';
import { recurrenceModule } from './recurrence/module.ts';
import { type Migration, migrationList } from './store/migrations.ts';
import { webhooksModule } from './webhooks/module.ts';
import type { Task } from './workers/dispatch.ts';

/**
 * The registered capabilities, one line each: the engine builds a service per entry (in this
 * order, exposed as `engine[module.name]`), the worker table from their tasks and the migration
 * list from their migrations. Adding a capability is its folder with a `module.ts` and one line
 * here (see the engine's README).
 */
export const capabilities = [
  incidentsModule,
  authModule,
  recurrenceModule,
  anomalyModule,
  kpiModule,
  modelsModule,
  insightsModule,
  costsModule,
  heatmapsModule,
  dashboardsModule,
  webhooksModule,
  jobsModule,
] as const satisfies readonly CapabilityModule<string, unknown, never>[];

/** The services of the registered capabilities, by name (`kpis: KpiService`, ...). */
export type CapabilityServices = {
  readonly [M in (typeof capabilities)[number] as M['name']]: M extends CapabilityModule<string, infer S>
    ? S
    : never;
};

/**
 * The capabilities' own engine options, each under its module's name (`kpis?: KpiOptions`); a
 * module without options adds nothing.
 */
export type CapabilityOptions = {
  readonly [M in (typeof capabilities)[number] as M extends CapabilityModule<string, unknown, infer O>
    ? [O] extends [never]
      ? never
      : M['name']
    : never]?: M extends CapabilityModule<string, unknown, infer O> ? O : never;
};

/** The registered modules as the engine iterates over them: options read as `unknown`. */
export const registeredModules = capabilities as readonly CapabilityModule<string, unknown, unknown>[];

/** Every migration this build knows, oldest first: the frozen migration 1, then the modules' own. */
export const migrations: readonly Migration[] = migrationList(
  registeredModules.flatMap((m) => m.migrations ?? []),
);

/** The schema version this build writes. */
export const schemaVersion = migrations.at(-1)?.version ?? 0;

/** The worker tasks of every registered capability, by name. */
export function capabilityTasks(): Record<string, Task> {
  const table: Record<string, Task> = {};
  for (const module of registeredModules) {
    for (const [name, task] of Object.entries(module.tasks ?? {})) {
      if (Object.hasOwn(table, name)) throw new Error(`worker task ${name} is declared twice`);
      table[name] = task;
    }
  }
  return table;
}
