import type { EngineContext, IncidentsWrittenHook } from './context.ts';
import type { JobKind } from './jobs/job-types.ts';
import type { Migration } from './store/migrations.ts';
import type { Task } from './workers/dispatch.ts';

/**
 * The contract of a capability: everything the engine needs to know about it, in one object in
 * the capability's own folder (`<capability>/module.ts`), registered by one line in
 * `capabilities.ts`. The engine builds the migration list, the worker task table, the services
 * and the incident-write hooks by iterating over the registered modules; no central file names a
 * capability.
 *
 * A module file is loaded by worker threads too (for its `tasks`), so it must stay light: import
 * task functions and types statically, and load the service (and anything that touches the store)
 * inside `createService` and the hooks with `await import(...)`.
 */
export interface CapabilityModule<Name extends string = string, Service = unknown, Options = never> {
  /** The engine property the service is exposed as (`engine.kpis`); unique. */
  readonly name: Name;
  /**
   * Schema changes this capability brings after migration 1 (the frozen initial schema), each
   * with the next free version number. Never edit one that has been released: add another.
   */
  readonly migrations?: readonly Migration[];
  /** Worker tasks by name (`'capability.task'`): pure functions of a structured-cloneable payload. */
  readonly tasks?: Readonly<Record<string, Task>>;
  /**
   * Checks this capability's own options (`openEngine({ [name]: options })`), before anything is
   * opened. A capability without options leaves `Options` as `never`, and the engine option of
   * its name does not exist.
   *
   * @throws EngineError VALIDATION_ERROR for a bad option.
   */
  readonly checkOptions?: (options: Options | undefined) => void;
  /**
   * Builds the service once the schema is up to date (main thread only); may prepare data the
   * service needs from the first call (the KPI module makes sure the system metrics exist).
   */
  readonly createService: (context: EngineContext, options: Options | undefined) => Promise<Service>;
  /** Subscribes to incident writes: runs inside the write's transaction, before the write. */
  readonly onIncidentsWritten?: IncidentsWrittenHook;
  /**
   * The batch operations this capability offers as jobs (`calculate_kpis`, ...): each a kind name,
   * its parameters' schema, the permission needed to ask for it and its handler. The jobs
   * capability queues, runs, retries and schedules them; the handlers live in the capability's
   * folder.
   */
  readonly jobKinds?: readonly JobKind[];
}

/**
 * Declares a module, keeping its literal name and service type so that the engine's properties
 * are typed from the registry.
 */
export function defineCapability<Name extends string, Service, Options = never>(
  module: CapabilityModule<Name, Service, Options>,
): CapabilityModule<Name, Service, Options> {
  return module;
}
