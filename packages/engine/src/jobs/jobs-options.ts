import { EngineError } from '../errors.ts';

/** The jobs capability's engine options (`openEngine({ jobs: { ... } })`). */
export interface JobsOptions {
  /** The first retry's wait after an error, in seconds; each later one doubles it (default 10). */
  readonly retryDelaySeconds?: number;
  /** How long a claim lasts without a heartbeat, in seconds (default 60); the runner renews it every third. */
  readonly leaseSeconds?: number;
}

/** {@link JobsOptions} with their defaults. */
export interface ResolvedJobsOptions {
  readonly retryDelaySeconds: number;
  readonly leaseSeconds: number;
}

/**
 * Checks the jobs options and fills in the defaults.
 *
 * @throws EngineError VALIDATION_ERROR for a negative retry delay or a lease under one second.
 */
export function resolveJobsOptions(options: JobsOptions | undefined): ResolvedJobsOptions {
  const retryDelaySeconds = options?.retryDelaySeconds ?? 10;
  const leaseSeconds = options?.leaseSeconds ?? 60;
  if (
    typeof retryDelaySeconds !== 'number' ||
    !(retryDelaySeconds >= 0) ||
    !Number.isFinite(retryDelaySeconds)
  ) {
    throw new EngineError('VALIDATION_ERROR', 'jobs.retryDelaySeconds must be a number of seconds from 0', {
      field: 'jobs.retryDelaySeconds',
      value: retryDelaySeconds,
    });
  }
  if (typeof leaseSeconds !== 'number' || !(leaseSeconds >= 1) || !Number.isFinite(leaseSeconds)) {
    throw new EngineError('VALIDATION_ERROR', 'jobs.leaseSeconds must be a number of seconds from 1', {
      field: 'jobs.leaseSeconds',
      value: leaseSeconds,
    });
  }
  return { retryDelaySeconds, leaseSeconds };
}
