import { EngineError } from '../errors.ts';
import { zodIssuesToFieldErrors } from '../input/field-errors.ts';
import { backoffSeconds, isFinalError, toJobError, toJsonValue } from './job-errors.ts';
import type { JobQueue } from './job-queue.ts';
import type { Job, JobKind, JobProgress, JsonValue } from './job-types.ts';

/** How often a running job's progress reaches the database, at most. */
const progressWriteMs = 250;

/** A job running in this process: how to stop it and why it was stopped. */
export interface ActiveRun {
  readonly controller: AbortController;
  /** `cancel`: a cancellation was asked; `stop`: the runner is stopping (the job goes back to the queue). */
  reason: 'cancel' | 'stop' | null;
}

/** What running one claimed job needs. */
export interface ExecutionEnvironment {
  readonly queue: JobQueue;
  readonly kinds: ReadonlyMap<string, JobKind>;
  readonly services: Readonly<Record<string, unknown>>;
  readonly now: () => Date;
  readonly leaseSeconds: number;
  readonly retryDelaySeconds: number;
  /** The jobs running in this process, by id (shared by the runner and in-process runs). */
  readonly active: Map<string, ActiveRun>;
  /** Told whenever a job changes (progress or state), so waiters wake. */
  readonly changed: (id: string) => void;
  /**
   * Runs a handler as background work (the database's background lane: its reads never take a
   * connection requests are answered with).
   */
  readonly inBackground: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Runs a job claimed from the queue (RUNNING, leased) to its next state: SUCCEEDED with the
 * handler's result; re-queued with backoff or FAILED after an error (codes in `finalErrorCodes`
 * and the last allowed attempt are final); CANCELLED when it stopped after a cancellation; back in
 * the queue when the runner stopped it. While the handler runs, the lease is extended every third
 * of its length, and progress is written at most every {@link progressWriteMs}.
 */
export async function executeJob(
  env: ExecutionEnvironment,
  job: Job,
  onProgress?: (progress: JobProgress) => void,
): Promise<Job> {
  const kind = env.kinds.get(job.kind);
  if (!kind) {
    return env.queue.fail(
      job.id,
      { code: 'VALIDATION_ERROR', message: `unknown job kind ${job.kind}`, details: { field: 'kind' } },
      { retryAt: null },
      env.now(),
    );
  }
  const run: ActiveRun = { controller: new AbortController(), reason: null };
  env.active.set(job.id, run);
  if (job.cancel_requested) abortRun(run, 'cancel');
  let progress: JobProgress = { done: 0, total: null, message: null };
  const writer = throttledProgressWriter(env, job.id, () => progress);
  const heartbeat = setInterval(
    () => {
      const leaseUntil = new Date(env.now().getTime() + env.leaseSeconds * 1000);
      env.queue
        .heartbeat(job.id, leaseUntil)
        .then(() => env.queue.get(job.id))
        .then((fresh) => {
          if (fresh?.cancel_requested) abortRun(run, 'cancel');
        })
        .catch(() => {}); // a missed heartbeat only shortens the lease
    },
    (env.leaseSeconds * 1000) / 3,
  );
  heartbeat.unref?.();
  let outcome: { ok: true; result: JsonValue } | { ok: false; error: unknown };
  try {
    const parsed = kind.parameters.safeParse(job.parameters);
    if (!parsed.success) {
      // Stored by an older build with other rules: no retry can fix it.
      throw new EngineError(
        'VALIDATION_ERROR',
        `the stored parameters of job ${job.id} are no longer valid`,
        {
          errors: zodIssuesToFieldErrors(parsed.error.issues),
        },
      );
    }
    const parameters = parsed.data;
    const result = await env.inBackground(() =>
      kind.run({
        jobId: job.id,
        parameters,
        attempt: job.attempts,
        signal: run.controller.signal,
        services: env.services,
        now: env.now,
        progress: (update) => {
          progress = {
            done: update.done,
            total: update.total === undefined ? progress.total : update.total,
            message: update.message === undefined ? progress.message : update.message,
          };
          onProgress?.(progress);
          writer.request();
        },
      }),
    );
    outcome = { ok: true, result: toJsonValue(result) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    clearInterval(heartbeat);
    await writer.flush();
    env.active.delete(job.id);
  }
  try {
    return await settle(env, job, run, progress, outcome);
  } finally {
    env.changed(job.id);
  }
}

async function settle(
  env: ExecutionEnvironment,
  job: Job,
  run: ActiveRun,
  progress: JobProgress,
  outcome: { ok: true; result: JsonValue } | { ok: false; error: unknown },
): Promise<Job> {
  const now = env.now();
  // Work that finished is recorded even if a stop or a cancellation came too late to interrupt it.
  if (outcome.ok) return env.queue.complete(job.id, outcome.result, progress, now);
  if (run.controller.signal.aborted) {
    const fresh = await env.queue.get(job.id);
    if (run.reason === 'cancel' || fresh?.cancel_requested) return env.queue.cancelled(job.id, now);
    return env.queue.release(job.id);
  }
  const error = toJobError(outcome.error);
  const final = isFinalError(error) || job.attempts >= job.max_attempts;
  const retryAt = final
    ? null
    : new Date(now.getTime() + backoffSeconds(job.attempts, env.retryDelaySeconds) * 1000);
  return env.queue.fail(job.id, error, { retryAt }, now);
}

/** Aborts a run's signal, remembering the first reason given. */
export function abortRun(run: ActiveRun, reason: 'cancel' | 'stop'): void {
  run.reason ??= reason;
  if (!run.controller.signal.aborted) run.controller.abort(reason);
}

/** Writes the latest progress at most every {@link progressWriteMs}; `flush` writes what is pending. */
function throttledProgressWriter(
  env: ExecutionEnvironment,
  id: string,
  latest: () => JobProgress,
): { request(): void; flush(): Promise<void> } {
  let lastWrite = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    pending = false;
    lastWrite = Date.now();
    writing = writing
      .then(() => env.queue.progress(id, latest()))
      .then(() => env.changed(id))
      .catch(() => {}); // progress is advisory; the final state is written by settle
  };
  return {
    request() {
      pending = true;
      if (timer) return;
      const wait = lastWrite + progressWriteMs - Date.now();
      if (wait <= 0) write();
      else timer = setTimeout(write, wait);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending) write();
      await writing;
    },
  };
}
