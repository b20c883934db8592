import type { ListRequest, Page } from '../store/list-query.ts';
import type { Job, JobError, JobProgress, JobStatus, JsonValue } from './job-types.ts';

/** A job to queue: what {@link JobQueue.enqueue} stores (the queue adds the id, state and times). */
export interface NewJob {
  readonly kind: string;
  /** Equal kind and scope share one QUEUED or RUNNING job (pg-boss: `singletonKey`). */
  readonly scope: string;
  readonly parameters: { readonly [key: string]: JsonValue };
  readonly maxAttempts: number;
  readonly requestedBy: string | null;
  readonly requestedByUsername: string;
  readonly schedule: string | null;
}

/** The filters of a job list: by kind and by status. */
export type JobListFilters = {
  readonly kind?: string | undefined;
  readonly status?: JobStatus | undefined;
};

/** The stored jobs of one kind in one status, as {@link JobQueue.statistics} counts them. */
export interface JobStatistics {
  readonly kind: string;
  readonly status: JobStatus;
  /** Jobs of this kind in this status. */
  readonly count: number;
  /**
   * Of these, the jobs that ran and ended (a start and an end time): each one's time from its last
   * run's start to its end, in seconds.
   */
  readonly durations: {
    readonly count: number;
    readonly sumSeconds: number;
    /** For each bound asked for, how many lasted at most that many seconds (cumulative counts). */
    readonly atMost: readonly number[];
  };
}

/** What to do with a job whose run ended in an error. */
export type FailOutcome =
  /** Runs again, not before `runAfter` (the backoff); the error is kept on the job. */
  | { readonly retryAt: Date }
  /** Final: FAILED with the error. */
  | { readonly retryAt: null };

/**
 * The job queue behind `engine.jobs`: where jobs are stored, claimed under a lease, completed,
 * failed (with a retry time or finally), cancelled and expired. Handlers never see it, so another
 * implementation (a PostgreSQL queue on pg-boss 10.x, see the engine README, "Jobs") can replace
 * the embedded DuckDB one without changing a handler. Every time is passed in (the engine's
 * clock), so the queue has no clock of its own.
 */
export interface JobQueue {
  /**
   * Stores a QUEUED job, unless a job of the same kind and scope is QUEUED or RUNNING: then that
   * job, with `deduplicated` true. Atomic: two equal requests never queue two jobs.
   */
  enqueue(job: NewJob, now: Date): Promise<{ job: Job; deduplicated: boolean }>;
  /**
   * Claims the oldest QUEUED job of one of `kinds` due at `now` (or exactly `id` when given):
   * RUNNING, attempts + 1, started now, leased until now + `leaseSeconds`. `undefined` when none.
   */
  claim(options: {
    readonly kinds: readonly string[];
    readonly now: Date;
    readonly leaseSeconds: number;
    readonly id?: string;
  }): Promise<Job | undefined>;
  /** Extends the lease of a RUNNING job (the runner's heartbeat) and stores its progress. */
  heartbeat(id: string, leaseUntil: Date, progress?: JobProgress): Promise<void>;
  /** Stores the progress of a RUNNING job. */
  progress(id: string, progress: JobProgress): Promise<void>;
  /** RUNNING → SUCCEEDED with the result. */
  complete(id: string, result: JsonValue, progress: JobProgress, now: Date): Promise<Job>;
  /** RUNNING → QUEUED again at `retryAt`, or FAILED when `retryAt` is null; the error is kept. */
  fail(id: string, error: JobError, outcome: FailOutcome, now: Date): Promise<Job>;
  /**
   * Asks to cancel: a QUEUED job is CANCELLED at once, a RUNNING one gets `cancel_requested`
   * (its runner aborts the handler). `undefined` for an unknown id; a final job is returned
   * unchanged, with `changed` false.
   */
  cancel(id: string, now: Date): Promise<{ job: Job; changed: boolean } | undefined>;
  /** RUNNING → CANCELLED (the handler stopped after a cancellation was asked). */
  cancelled(id: string, now: Date): Promise<Job>;
  /** RUNNING → QUEUED at once (its runner stopped before it finished; the work is idempotent). */
  release(id: string): Promise<Job>;
  /**
   * Every RUNNING job whose lease ended before `leaseEndedBefore` (its runner died; `null`: every
   * RUNNING job, as at open, when no live process can hold one), except those in `ignore`: each is
   * re-queued when `requeue(job)` says so, else FAILED with `error`. Returns them as they are now.
   */
  expire(options: {
    readonly leaseEndedBefore: Date | null;
    readonly now: Date;
    readonly ignore?: ReadonlySet<string>;
    readonly requeue: (job: Job) => boolean;
    readonly error: JobError;
  }): Promise<Job[]>;
  /** One job; `undefined` for an unknown id. */
  get(id: string): Promise<Job | undefined>;
  /** A page of jobs, newest first. */
  list(request: ListRequest<JobListFilters>): Promise<Page<Job>>;
  /**
   * Every kind and status that has jobs, with their count and the distribution of their durations
   * over `durationBounds` (seconds, ascending): one aggregate over the stored jobs.
   */
  statistics(durationBounds: readonly number[]): Promise<JobStatistics[]>;
}
