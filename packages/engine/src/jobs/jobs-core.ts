import type { EngineContext } from '../context.ts';
import { EngineError } from '../errors.ts';
import { DuckDbJobQueue } from './duckdb-job-queue.ts';
import { interruptedError } from './job-errors.ts';
import type { ExecutionEnvironment } from './job-execution.ts';
import type { PollingJobRunner } from './job-runner.ts';
import type { JobKind } from './job-types.ts';
import { type JobsOptions, resolveJobsOptions } from './jobs-options.ts';
import type { ScheduleConfig } from './schedule-slots.ts';

/** How often a waiter looks at a job that no one in this process told it about. */
const waitPollMs = 200;

/** What every actor's view of `engine.jobs` shares: the queue, the kinds, the jobs running here, the runner. */
export interface JobsCore {
  readonly env: ExecutionEnvironment;
  readonly context: EngineContext;
  readonly listeners: Set<(id: string) => void>;
  runner: PollingJobRunner | undefined;
  schedules: readonly ScheduleConfig[];
}

/**
 * Builds what `engine.jobs` runs on: the embedded DuckDB queue, the kinds of every registered
 * module, and recovery: a job left RUNNING (by a process that died, since DuckDB lets one process
 * hold the file) is re-queued when its kind says `requeue` and it has attempts left, else FAILED
 * with "interrupted: the process running it stopped" (CANCELLED when a cancellation was asked).
 * The engine's `close()` stops the runner.
 *
 * @throws Error when two modules declare the same kind (a programming error).
 */
export async function openJobsCore(
  context: EngineContext,
  options: JobsOptions | undefined,
): Promise<JobsCore> {
  const resolved = resolveJobsOptions(options);
  const kinds = new Map<string, JobKind>();
  for (const kind of context.jobKinds) {
    if (kinds.has(kind.kind)) throw new Error(`job kind ${kind.kind} is declared twice`);
    kinds.set(kind.kind, kind);
  }
  const listeners = new Set<(id: string) => void>();
  const queue = new DuckDbJobQueue(context.db);
  const env: ExecutionEnvironment = {
    queue,
    kinds,
    services: context.services,
    now: context.now,
    leaseSeconds: resolved.leaseSeconds,
    retryDelaySeconds: resolved.retryDelaySeconds,
    active: new Map(),
    changed: (id) => {
      for (const listener of [...listeners]) listener(id);
    },
    inBackground: (work) => context.db.inBackground(work),
  };
  await queue.expire({
    leaseEndedBefore: null,
    now: context.now(),
    requeue: (job) => kinds.get(job.kind)?.onInterrupted === 'requeue' && job.attempts < job.max_attempts,
    error: interruptedError,
  });
  const core: JobsCore = { env, context, listeners, runner: undefined, schedules: [] };
  context.onClose(async () => {
    await core.runner?.stop();
    core.runner = undefined;
  });
  return core;
}

/**
 * Resolves when job `id` may have changed: told by this process, or after a short poll. When
 * `signal` aborts: rejects with CANCELLED, or resolves when `quiet`.
 */
export function changeOf(core: JobsCore, id: string, signal?: AbortSignal, quiet = false): Promise<void> {
  const { listeners } = core;
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      listeners.delete(listener);
      signal?.removeEventListener('abort', aborted);
    };
    const listener = (changed: string) => {
      if (changed !== id) return;
      done();
      resolve();
    };
    const aborted = () => {
      done();
      if (quiet) resolve();
      else reject(new EngineError('CANCELLED', `stopped waiting for job ${id}`, { id }));
    };
    const timer = setTimeout(() => listener(id), waitPollMs);
    listeners.add(listener);
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** Waits `ms` (a retry's backoff); when `signal` aborts, a short pause only, while the cancellation it caused is written. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const wait = signal?.aborted ? Math.min(ms, 10) : ms;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, wait));
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
