import { type Actor, systemActor } from '../auth/policy.ts';
import type { ActorAware } from '../auth/scoped-services.ts';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import type { ListRequest, Page } from '../store/list-query.ts';
import { abortRun, executeJob } from './job-execution.ts';
import type { JobListFilters, JobStatistics } from './job-queue.ts';
import { type JobRequest, prepareJob } from './job-request.ts';
import { type JobRunner, type JobRunnerOptions, PollingJobRunner } from './job-runner.ts';
import { type Job, type JobKind, type JobProgress, jobStatuses } from './job-types.ts';
import { changeOf, type JobsCore, openJobsCore, sleep } from './jobs-core.ts';
import type { JobsOptions } from './jobs-options.ts';
import { defaultSchedules, type ScheduleState } from './schedule-slots.ts';
import { checkSchedules, Scheduler, scheduleStates } from './scheduler.ts';

/** A registered job kind as `kinds()` and `GET /api/jobs/kinds/` show it. */
export interface JobKindInfo {
  readonly kind: string;
  readonly description: string;
  readonly action: JobKind['action'];
}

const finalStatuses: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * `engine.jobs`: batch work (the registered modules' `jobKinds`) as stored jobs. Submit a job and
 * follow it (`get`, `list`, `wait`), cancel it, run it in this process at once (`run`, what the
 * CLI does when no server holds the database), or start the runner that claims queued jobs and runs
 * the schedules (`startRunner`, what `insights serve` does). Served through `engine.as(actor)`, it
 * records who asked and checks each kind's action.
 */
export class JobService implements ActorAware<JobService> {
  readonly #core: JobsCore;
  readonly #actor: Actor;

  /** @internal Built by the jobs module with {@link openJobService}. */
  constructor(core: JobsCore, actor: Actor = systemActor) {
    this.#core = core;
    this.#actor = actor;
  }

  /** This service acting for `actor` (who asked is recorded; each kind's action is checked). */
  withActor(actor: Actor): JobService {
    return new JobService(this.#core, actor);
  }

  /** The registered job kinds, in registry order. */
  kinds(): readonly JobKindInfo[] {
    return [...this.#core.env.kinds.values()].map((k) => ({
      kind: k.kind,
      description: k.description,
      action: k.action,
    }));
  }

  /**
   * Queues a job, or joins the QUEUED or RUNNING job of the same kind and scope (`deduplicated`).
   *
   * @throws EngineError VALIDATION_ERROR for an unknown kind (`{ field: 'kind', accepted }`) or bad
   *   parameters (field errors named `parameters.<field>`); FORBIDDEN when the actor may not do the
   *   kind's action.
   */
  async submit(request: JobRequest): Promise<{ job: Job; deduplicated: boolean }> {
    const { env, context } = this.#core;
    const prepared = prepareJob(env.kinds, request, this.#actor);
    const submitted = await env.queue.enqueue(prepared, context.now());
    this.#core.runner?.tick().catch(() => {});
    return submitted;
  }

  /** @throws EngineError NOT_FOUND for an unknown id. */
  async get(id: string): Promise<Job> {
    const job = await this.#core.env.queue.get(String(id));
    if (!job) throw notFound('Job', String(id));
    return job;
  }

  /**
   * A page of jobs, newest first; filters `kind` and `status`.
   *
   * @throws EngineError VALIDATION_ERROR for an unknown status, filter, ordering or page size.
   */
  list(request: ListRequest<JobListFilters> = {}): Promise<Page<Job>> {
    const status = request.filters?.status;
    if (status !== undefined && !(jobStatuses as readonly string[]).includes(status)) {
      return Promise.reject(
        new EngineError('VALIDATION_ERROR', `status must be one of ${jobStatuses.join(', ')}`, {
          parameter: 'status',
          accepted: [...jobStatuses],
        }),
      );
    }
    return this.#core.env.queue.list(request);
  }

  /**
   * The stored jobs counted by kind and status (only the pairs that have jobs), each with the
   * distribution of its durations (the jobs that ran and ended, from their last run's start to
   * their end) over `durationBuckets`: upper bounds in seconds, ascending. One aggregate query,
   * cheap enough for every scrape of `/metrics`.
   *
   * @throws EngineError VALIDATION_ERROR when a bound is not a finite positive number, the bounds
   *   are not strictly ascending, or there are more than 50 of them.
   */
  statistics(options: { readonly durationBuckets?: readonly number[] } = {}): Promise<JobStatistics[]> {
    const bounds = options.durationBuckets ?? [];
    const valid =
      Array.isArray(bounds) &&
      bounds.length <= 50 &&
      bounds.every(
        (bound, i) =>
          typeof bound === 'number' &&
          Number.isFinite(bound) &&
          bound > 0 &&
          (i === 0 || bound > (bounds[i - 1] ?? 0)),
      );
    if (!valid) {
      return Promise.reject(
        new EngineError(
          'VALIDATION_ERROR',
          'durationBuckets must be at most 50 finite positive numbers of seconds in ascending order',
          { field: 'durationBuckets' },
        ),
      );
    }
    return this.#core.env.queue.statistics(bounds);
  }

  /**
   * Cancels a job: a QUEUED one is CANCELLED at once; a RUNNING one is marked `cancel_requested`,
   * its handler's signal is aborted, and it is CANCELLED when the handler stops.
   *
   * @throws EngineError NOT_FOUND for an unknown id; CONFLICT for a job already finished.
   */
  async cancel(id: string): Promise<Job> {
    const { env, context } = this.#core;
    // A job running here stops at once; its end (or the write below) records the cancellation.
    const run = env.active.get(String(id));
    if (run) abortRun(run, 'cancel');
    const cancelled = await env.queue.cancel(String(id), context.now());
    if (!cancelled) throw notFound('Job', String(id));
    const { job, changed } = cancelled;
    // Unchanged: already final, unless it is this very cancellation that the run's end recorded first.
    if (!changed && !(run && job.status === 'CANCELLED')) {
      throw new EngineError('CONFLICT', `job ${job.id} is already ${job.status}`, {
        id: job.id,
        status: job.status,
      });
    }
    env.changed(job.id);
    return job;
  }

  /**
   * Waits until the job is final (SUCCEEDED, FAILED or CANCELLED) and returns it; `onProgress` is
   * called with the job whenever its state or progress changed.
   *
   * @throws EngineError NOT_FOUND for an unknown id; CANCELLED when `signal` aborts the wait (the
   *   job goes on).
   */
  async wait(
    id: string,
    options: { signal?: AbortSignal; onProgress?: (job: Job) => void } = {},
  ): Promise<Job> {
    let seen = '';
    for (;;) {
      const job = await this.get(id);
      if (finalStatuses.includes(job.status)) return job;
      const key = JSON.stringify([job.status, job.progress, job.attempts]);
      if (key !== seen) options.onProgress?.(job);
      seen = key;
      await changeOf(this.#core, job.id, options.signal);
    }
  }

  /**
   * Submits a job and runs it in this process at once, retries included (waiting each backoff),
   * and resolves with the final job; a FAILED job resolves too (see `jobError`). When an equal job
   * is already RUNNING (a runner of this engine claimed it), this waits for that one. Aborting
   * `signal` cancels the job.
   *
   * @throws EngineError as {@link submit} for a bad request.
   */
  async run(
    request: JobRequest,
    options: { onProgress?: (progress: JobProgress) => void; signal?: AbortSignal } = {},
  ): Promise<Job> {
    const { env } = this.#core;
    const { job: submitted } = await this.submit(request);
    const onAbort = () => void this.cancel(submitted.id).catch(() => {});
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal?.aborted) onAbort();
      for (;;) {
        const current = await this.get(submitted.id);
        if (finalStatuses.includes(current.status)) return current;
        const claimed =
          current.status === 'QUEUED' && current.run_after.getTime() <= env.now().getTime()
            ? await env.queue.claim({
                kinds: [current.kind],
                id: current.id,
                now: env.now(),
                leaseSeconds: env.leaseSeconds,
              })
            : undefined;
        if (claimed) {
          await executeJob(env, claimed, options.onProgress);
        } else if (current.status === 'QUEUED') {
          // A retry waiting out its backoff.
          await sleep(current.run_after.getTime() - env.now().getTime(), options.signal);
        } else {
          await changeOf(this.#core, current.id, options.signal, true);
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Starts the runner of this engine: it claims queued jobs, runs the schedules and expires jobs
   * whose lease ended. One per engine; the engine's `close()` stops it too.
   *
   * @throws EngineError CONFLICT when a runner is already running; VALIDATION_ERROR for a bad schedule.
   */
  startRunner(options: JobRunnerOptions = {}): JobRunner {
    const core = this.#core;
    if (core.runner) throw new EngineError('CONFLICT', 'a job runner is already running on this engine');
    const schedules = options.schedules === false ? [] : (options.schedules ?? defaultSchedules);
    checkSchedules(schedules, core.env.kinds);
    const env = options.leaseSeconds ? { ...core.env, leaseSeconds: options.leaseSeconds } : core.env;
    const scheduler = schedules.length
      ? new Scheduler(core.context.db, env.queue, env.kinds, schedules)
      : undefined;
    const runner = new PollingJobRunner(
      env,
      scheduler,
      { pollMs: options.pollMs ?? 1000, concurrency: options.concurrency ?? 1 },
      (error) => process.emitWarning(`job runner: ${error instanceof Error ? error.message : String(error)}`),
    );
    core.runner = runner;
    core.schedules = schedules;
    runner.start();
    return {
      stop: async () => {
        await runner.stop();
        if (core.runner === runner) {
          core.runner = undefined;
          core.schedules = [];
        }
      },
    };
  }

  /** The schedules of the running runner with their state (none when no runner runs schedules). */
  schedules(): Promise<readonly ScheduleState[]> {
    return scheduleStates(this.#core.context.db, this.#core.schedules, this.#core.context.now());
  }
}

/**
 * Builds `engine.jobs` on an engine's context (see {@link openJobsCore}: the queue, the kinds and
 * the recovery of jobs a dead process left RUNNING).
 */
export async function openJobService(
  context: EngineContext,
  options: JobsOptions | undefined,
): Promise<JobService> {
  return new JobService(await openJobsCore(context, options));
}
