import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits, TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { EngineError } from '../errors.ts';
import { isSerializedTaskError, type TaskRequest } from './dispatch.ts';
import { transferablesOf } from './transfer.ts';

/** Options of the engine's worker pool. */
export interface WorkerPoolOptions {
  /** Worker threads at most; defaults to `os.availableParallelism()`. */
  readonly threads?: number;
  /** Milliseconds an idle worker lives before it exits. Default 30,000. */
  readonly idleTimeoutMs?: number;
  /** Milliseconds {@link WorkerPool.close} waits for running tasks before it ends them. Default 10,000. */
  readonly closeTimeoutMs?: number;
  /** Heap and stack limits of each worker; a worker that exceeds them fails its own task only. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Added to the OS scheduling priority ("nice" value) of each worker thread (Linux and macOS):
   * the kernels then yield the CPU to the thread that owns the pool, so a process answering
   * requests stays responsive while a batch computes, and take all the CPU when it is idle.
   * Default 10; 0 runs the workers at the process's own priority.
   */
  readonly niceIncrement?: number;
  /**
   * The worker entry (a module whose default export is `createDispatcher(tasks)`). Defaults to
   * the engine's `kernel.worker`; tests and embedders pass their own task registry here.
   */
  readonly entry?: URL;
}

/** Options of one {@link WorkerPool.run}. */
export interface RunOptions {
  /**
   * More buffers to move to the worker. Rarely needed: {@link WorkerPool.run} already moves every
   * buffer it finds in the payload (see `transferablesOf`); list here only buffers it cannot find
   * (e.g. inside a class instance). Duplicates of found buffers are ignored.
   */
  readonly transferList?: readonly TransferListItem[];
  /** Aborting it cancels the task: a queued task is dropped, a running one's worker is ended. */
  readonly signal?: AbortSignal;
}

/** Load figures of the pool, e.g. for a `/metrics` endpoint. */
export interface WorkerPoolStats {
  /** Worker threads alive now (idle ones exit after the idle timeout). */
  readonly threads: number;
  /** Tasks waiting for a free worker. */
  readonly queueSize: number;
  /** Share of the pool's capacity spent running tasks since it started, 0..1. */
  readonly utilization: number;
  /** Tasks finished (successfully or not) since the pool started. */
  readonly completed: number;
}

const fromSource = import.meta.url.endsWith('.ts');

/** The engine's entry, next to this file: the `.ts` source under tsx/vitest, the `.js` build otherwise. */
function defaultEntry(): URL {
  return new URL(`./kernel.worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
}

/** A `.ts` worker needs tsx's loader; resolved from here so it works whatever the cwd. */
function execArgvFor(entry: URL): string[] {
  if (!entry.pathname.endsWith('.ts')) return [];
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href];
}

/**
 * The engine's pool of worker threads (Piscina) running pure kernels by task name (see
 * `tasks.ts`). Threads start on the first task and exit when idle, so an engine that never
 * computes never starts one. Errors come back as {@link EngineError}s: a task's own error keeps
 * its code; a cancelled task is CANCELLED; a worker that dies (exit, out of memory) fails only the
 * task it was running with WORKER_FAILED, and the pool replaces it.
 */
export class WorkerPool {
  private piscina: Piscina | undefined;
  private closed = false;

  constructor(readonly options: WorkerPoolOptions = {}) {}

  /**
   * Runs `task` on `payload` in a worker and resolves with its result. The payload's buffers
   * (`ArrayBuffer`s and whole-buffer typed arrays at any depth of its plain objects and arrays,
   * see `transferablesOf`) are **moved**, not cloned: they are detached in the caller once the
   * task is posted, so pass copies of arrays you still need. `SharedArrayBuffer`s are shared.
   *
   * @throws EngineError with the task's code when the task throws (INTERNAL for a non-engine
   *   error), UNSUPPORTED for an unknown task, CANCELLED when `signal` aborts or the pool closes
   *   first, WORKER_FAILED when the worker dies, INTERNAL when the pool is closed.
   */
  async run<T>(task: string, payload: unknown, options: RunOptions = {}): Promise<T> {
    if (this.closed) throw new EngineError('INTERNAL', 'the worker pool is closed', { task });
    const request: TaskRequest = { task, payload };
    const transferList = new Set<TransferListItem>(transferablesOf(payload));
    for (const item of options.transferList ?? []) transferList.add(item);
    try {
      return (await this.pool().run(request, {
        ...(transferList.size > 0 ? { transferList: [...transferList] } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })) as T;
    } catch (error) {
      throw toEngineError(error, task);
    }
  }

  /** Load figures; all zero before the first task. */
  stats(): WorkerPoolStats {
    const pool = this.piscina;
    if (!pool) return { threads: 0, queueSize: 0, utilization: 0, completed: 0 };
    return {
      threads: pool.threads.length,
      queueSize: pool.queueSize,
      utilization: pool.utilization,
      completed: pool.completed,
    };
  }

  /**
   * Ends every worker: queued tasks are rejected (CANCELLED), running ones get up to
   * `closeTimeoutMs` to finish. Idempotent.
   */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.piscina;
    this.piscina = undefined;
    if (pool) await pool.close({ force: true });
  }

  private pool(): Piscina {
    if (this.piscina) return this.piscina;
    const entry = this.options.entry ?? defaultEntry();
    const pool = new Piscina({
      filename: entry.protocol === 'file:' ? fileURLToPath(entry) : entry.href,
      minThreads: 0,
      maxThreads: Math.max(1, this.options.threads ?? availableParallelism()),
      idleTimeout: this.options.idleTimeoutMs ?? 30_000,
      closeTimeout: this.options.closeTimeoutMs ?? 10_000,
      execArgv: execArgvFor(entry),
      niceIncrement: this.options.niceIncrement ?? 10,
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    // Piscina reports a close timeout and stray worker errors as 'error' events; the tasks
    // concerned are rejected on their own, so the event must not crash the process.
    pool.on('error', () => {});
    this.piscina = pool;
    return pool;
  }
}

function toEngineError(error: unknown, task: string): EngineError {
  if (isSerializedTaskError(error)) {
    const rebuilt = new EngineError(error.code, error.message, error.details);
    if (error.stack) rebuilt.stack = error.stack;
    return rebuilt;
  }
  if (error instanceof EngineError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError') {
    return new EngineError('CANCELLED', `task ${task} was cancelled`, { task }, { cause: error });
  }
  return new EngineError(
    'WORKER_FAILED',
    `the worker running task ${task} failed: ${message}`,
    { task },
    { cause: error },
  );
}
