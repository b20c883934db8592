import { EngineError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { dayMs } from './insight-draft.ts';

/** Days after its expiry an insight is kept when a cleanup names none. */
export const defaultExpiredInsightsDays = 30;
/** Days a KPI measurement (by its period's end) is kept when a cleanup names none. */
export const defaultMeasurementsOlderThanDays = 365;
/** Days a finished job record (by its `finished_at`) is kept when a cleanup names none. */
export const defaultFinishedJobsOlderThanDays = 30;
/** Longest retention a cleanup may name: 100 years. */
export const maxRetentionDays = 36_500;

/** What a cleanup keeps, in days; see {@link cleanup}. */
export interface CleanupOptions {
  /** Delete insights that expired more than this many days ago (default 30). */
  readonly expiredInsightsDays?: number;
  /** Delete KPI measurements whose period ended more than this many days ago (default 365). */
  readonly measurementsOlderThanDays?: number;
  /**
   * Delete job records that finished (SUCCEEDED, FAILED or CANCELLED) more than this many days
   * ago (default 30); the last job of each schedule is kept.
   */
  readonly finishedJobsOlderThanDays?: number;
}

/** How many rows a cleanup deleted. */
export interface CleanupResult {
  readonly insights_deleted: number;
  readonly measurements_deleted: number;
  readonly jobs_deleted: number;
}

/**
 * The spec's regular cleanup, in one transaction: deletes the predictive insights whose
 * `expires_at` is more than `expiredInsightsDays` days before `now`, and the KPI measurements
 * (`kpi_measurements`) whose `period_end` is more than `measurementsOlderThanDays` days before
 * `now`, and the job records that finished more than `finishedJobsOlderThanDays` days before `now`
 * (each schedule's last job excepted: it names the slot the schedule ran last). Insights without
 * an expiry, queued and running jobs, and newer rows are kept.
 *
 * @throws EngineError VALIDATION_ERROR for a day count that is not a whole number from 1 to
 *   {@link maxRetentionDays}; nothing is deleted then.
 */
export async function cleanup(db: Database, now: Date, options: CleanupOptions = {}): Promise<CleanupResult> {
  const insightDays = checkDays(
    'expired_insights_days',
    options.expiredInsightsDays ?? defaultExpiredInsightsDays,
  );
  const measurementDays = checkDays(
    'measurements_older_than_days',
    options.measurementsOlderThanDays ?? defaultMeasurementsOlderThanDays,
  );
  const jobDays = checkDays(
    'finished_jobs_older_than_days',
    options.finishedJobsOlderThanDays ?? defaultFinishedJobsOlderThanDays,
  );
  const insightsBefore = new Date(now.getTime() - insightDays * dayMs);
  const measurementsBefore = new Date(now.getTime() - measurementDays * dayMs);
  const jobsBefore = new Date(now.getTime() - jobDays * dayMs);
  return db.transaction(async (tx) => {
    const insights = await tx.one<{ n: bigint }>(
      'SELECT count(*) AS n FROM predictive_insights WHERE expires_at < $before',
      { before: insightsBefore },
    );
    await tx.run('DELETE FROM predictive_insights WHERE expires_at < $before', { before: insightsBefore });
    const measurements = await tx.one<{ n: bigint }>(
      'SELECT count(*) AS n FROM kpi_measurements WHERE period_end < $before',
      { before: measurementsBefore },
    );
    await tx.run('DELETE FROM kpi_measurements WHERE period_end < $before', { before: measurementsBefore });
    const finishedJobs = `FROM jobs WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND finished_at < $before
      AND id::VARCHAR NOT IN (SELECT last_job_id FROM job_schedules WHERE last_job_id IS NOT NULL)`;
    const jobs = await tx.one<{ n: bigint }>(`SELECT count(*) AS n ${finishedJobs}`, { before: jobsBefore });
    await tx.run(`DELETE ${finishedJobs}`, { before: jobsBefore });
    return {
      insights_deleted: Number(insights?.n ?? 0),
      measurements_deleted: Number(measurements?.n ?? 0),
      jobs_deleted: Number(jobs?.n ?? 0),
    };
  });
}

function checkDays(name: string, days: unknown): number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > maxRetentionDays) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `${name} must be a whole number of days from 1 to ${maxRetentionDays}`,
      {
        parameter: name,
        value: days,
      },
    );
  }
  return days;
}
