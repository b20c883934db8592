import type { z } from 'zod';
import type { Action } from '../auth/policy.ts';

/** A job's states: queued, running, then one of the three final ones. */
export const jobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

/** One of {@link jobStatuses}. */
export type JobStatus = (typeof jobStatuses)[number];

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged: what job results are. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** How far a job has got: `done` of `total` steps (total unknown: `null`), and what it is doing. */
export interface JobProgress {
  readonly done: number;
  readonly total: number | null;
  readonly message: string | null;
}

/** Why a job failed: an engine error code, its message and details. */
export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly details: JsonValue | null;
}

/**
 * A job as stored and as the API shows it: one run of a batch operation (`kind`) with its
 * parameters, who asked, its state and, once finished, its result or its error.
 */
export interface Job {
  readonly id: string;
  /** The job kind (`calculate_kpis`, `run_anomaly_detection`, `analyze_recurrence`, ...). */
  readonly kind: string;
  /** What the job works on, from its parameters: one QUEUED or RUNNING job per kind and scope. */
  readonly scope: string;
  /** The parameters as given (after validation), JSON. */
  readonly parameters: { readonly [key: string]: JsonValue };
  readonly status: JobStatus;
  readonly progress: JobProgress;
  /** Runs started so far (a retried or re-queued job counts each run). */
  readonly attempts: number;
  readonly max_attempts: number;
  /** Set when a cancellation was asked for a running job; the handler stops at its next check. */
  readonly cancel_requested: boolean;
  readonly created_at: Date;
  /** Not before this time (a retry's backoff, or the creation time). */
  readonly run_after: Date;
  readonly started_at: Date | null;
  readonly finished_at: Date | null;
  /** The handler's result once SUCCEEDED. */
  readonly result: JsonValue | null;
  /** The last error (kept on a retried job until it succeeds; the final one when FAILED). */
  readonly error: JobError | null;
  /** User id of who asked; `null` for the system actor and schedules. */
  readonly requested_by: string | null;
  readonly requested_by_username: string;
  /** The schedule that queued it, or `null`. */
  readonly schedule: string | null;
}

/** The runner's lanes: see {@link JobKind.lane}. */
export type JobLane = 'standard' | 'express';

/** What a handler gets while it runs a job. */
export interface JobRunContext<Parameters> {
  readonly jobId: string;
  readonly parameters: Parameters;
  /** This run's number, 1 for the first. */
  readonly attempt: number;
  /** Aborted when the job is cancelled or the runner stops: stop at the next safe point. */
  readonly signal: AbortSignal;
  /**
   * The engine's capability services by name (`services.kpis`, ...), acting as the system actor:
   * the permission to ask for the job was checked when it was queued. Each handler file reads the
   * services it needs with their types.
   */
  readonly services: Readonly<Record<string, unknown>>;
  /** The engine's clock. */
  now(): Date;
  /** Reports progress; stored and shown by `GET /api/jobs/{id}/` (written at most a few times a second). */
  progress(update: {
    readonly done: number;
    readonly total?: number | null;
    readonly message?: string;
  }): void;
}

/**
 * A kind of job a capability offers (its module's `jobKinds`): the parameters it takes, who may ask
 * for it, what one run works on, and the handler. Handlers are idempotent: a job that runs twice
 * (re-queued after a crash, retried after an error) writes its results once.
 */
export interface JobKind<Parameters = unknown> {
  /** The kind's name as the API and the CLI use it: the spec's management-command names. */
  readonly kind: string;
  /** One sentence for the docs and `GET /api/jobs/kinds/`. */
  readonly description: string;
  /** The parameters as JSON (snake_case), strict: unknown fields are refused. */
  readonly parameters: z.ZodType<Parameters>;
  /** What the actor who asks must be allowed (the engine's policy). */
  readonly action: Action;
  /** What a run works on (for example the metric id, or `all`): equal scopes share one run. */
  readonly scope: (parameters: Parameters) => string;
  /**
   * A job left RUNNING by a process that died: `requeue` runs it again (for idempotent handlers),
   * `fail` marks it FAILED with the reason.
   */
  readonly onInterrupted: 'requeue' | 'fail';
  /** Runs in all, the first included, before an error is final (default 3). */
  readonly maxAttempts?: number;
  /**
   * `express` for a short kind that must not wait behind a long analysis (webhook delivery): a
   * runner runs one express job at a time beside its `concurrency` standard ones. Default `standard`.
   */
  readonly lane?: JobLane;
  /** Does the work and returns the result summary the API shows and the CLI prints. */
  readonly run: (context: JobRunContext<Parameters>) => Promise<JsonValue>;
}
