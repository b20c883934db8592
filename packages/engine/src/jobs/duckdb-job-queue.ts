import { randomUUID } from 'node:crypto';
import { EngineError, notFound } from '../errors.ts';
import type { Database, SqlParams, Transaction } from '../store/database.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import type { FailOutcome, JobListFilters, JobQueue, JobStatistics, NewJob } from './job-queue.ts';
import { jobListSpec, jobSelect, rowToJob } from './job-rows.ts';
import type { Job, JobError, JobProgress, JobStatus, JsonValue } from './job-types.ts';

const active = `status IN ('QUEUED', 'RUNNING')`;

function progressParams(progress: JobProgress): SqlParams {
  return { done: progress.done, total: progress.total, message: progress.message };
}

/**
 * The embedded {@link JobQueue}: the `jobs` table of the engine's DuckDB file. Every change runs
 * on the database's one writer (a transaction, or one statement), so a claim or a deduplicated
 * enqueue is atomic without row locks: DuckDB lets one process hold the file, and in it every
 * write passes through that writer.
 */
export class DuckDbJobQueue implements JobQueue {
  constructor(private readonly db: Database) {}

  enqueue(job: NewJob, now: Date): Promise<{ job: Job; deduplicated: boolean }> {
    return this.db.transaction(async (tx) => {
      const existing = await tx.one(
        `SELECT ${jobSelect} FROM jobs WHERE kind = $kind AND scope = $scope AND ${active}
         ORDER BY created_at LIMIT 1`,
        { kind: job.kind, scope: job.scope },
      );
      if (existing) return { job: rowToJob(existing), deduplicated: true };
      const id = randomUUID();
      await tx.run(
        `INSERT INTO jobs (id, kind, scope, parameters, status, attempts, max_attempts, created_at, run_after,
           requested_by, requested_by_username, schedule)
         VALUES ($id::UUID, $kind, $scope, $parameters, 'QUEUED', 0, $max, $now, $now, $by, $username, $schedule)`,
        {
          id,
          kind: job.kind,
          scope: job.scope,
          parameters: JSON.stringify(job.parameters),
          max: job.maxAttempts,
          now,
          by: job.requestedBy,
          username: job.requestedByUsername,
          schedule: job.schedule,
        },
      );
      return { job: await readIn(tx, id), deduplicated: false };
    });
  }

  async claim(options: {
    readonly kinds: readonly string[];
    readonly now: Date;
    readonly leaseSeconds: number;
    readonly id?: string;
  }): Promise<Job | undefined> {
    if (options.kinds.length === 0) return undefined;
    // Look on a reader first: an idle poll takes no write (a write would age every cache keyed
    // by the database's write generation, such as the KPI summary's).
    const candidate = await this.db.one<{ id: string }>(
      `SELECT id::VARCHAR AS id FROM jobs WHERE status = 'QUEUED' AND run_after <= $now AND list_contains($kinds, kind)
       ${options.id === undefined ? '' : 'AND id::VARCHAR = $id'}
       ORDER BY run_after, created_at, id LIMIT 1`,
      {
        now: options.now,
        kinds: [...options.kinds],
        ...(options.id === undefined ? {} : { id: options.id }),
      },
    );
    if (!candidate) return undefined;
    // The status test makes the claim atomic: a job claimed meanwhile is not claimed twice.
    const rows = await this.db.write(
      `UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, started_at = $now, finished_at = NULL,
         lease_expires_at = $lease
       WHERE id::VARCHAR = $id AND status = 'QUEUED'
       RETURNING ${jobSelect}`,
      {
        id: candidate.id,
        now: options.now,
        lease: new Date(options.now.getTime() + options.leaseSeconds * 1000),
      },
    );
    return rows[0] ? rowToJob(rows[0]) : undefined;
  }

  async heartbeat(id: string, leaseUntil: Date, progress?: JobProgress): Promise<void> {
    const set = progress
      ? ', progress_done = $done, progress_total = $total, progress_message = $message'
      : '';
    await this.db.run(
      `UPDATE jobs SET lease_expires_at = $lease${set} WHERE id::VARCHAR = $id AND status = 'RUNNING'`,
      { id, lease: leaseUntil, ...(progress ? progressParams(progress) : {}) },
    );
  }

  async progress(id: string, progress: JobProgress): Promise<void> {
    await this.db.run(
      `UPDATE jobs SET progress_done = $done, progress_total = $total, progress_message = $message
       WHERE id::VARCHAR = $id AND status = 'RUNNING'`,
      { id, ...progressParams(progress) },
    );
  }

  complete(id: string, result: JsonValue, progress: JobProgress, now: Date): Promise<Job> {
    return this.finishRunning(
      id,
      `status = 'SUCCEEDED', result = $result, finished_at = $now, lease_expires_at = NULL,
       progress_done = $done, progress_total = $total, progress_message = $message`,
      { result: JSON.stringify(result), now, ...progressParams(progress) },
    );
  }

  fail(id: string, error: JobError, outcome: FailOutcome, now: Date): Promise<Job> {
    const retry = outcome.retryAt !== null;
    return this.finishRunning(
      id,
      retry
        ? `status = 'QUEUED', error = $error, run_after = $retryAt, lease_expires_at = NULL`
        : `status = 'FAILED', error = $error, finished_at = $now, lease_expires_at = NULL`,
      retry
        ? { error: JSON.stringify(error), retryAt: outcome.retryAt }
        : { error: JSON.stringify(error), now },
    );
  }

  async cancel(id: string, now: Date): Promise<{ job: Job; changed: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await tx.one(`SELECT ${jobSelect} FROM jobs WHERE id::VARCHAR = $id`, { id });
      if (!row) return undefined;
      const job = rowToJob(row);
      if (job.status === 'QUEUED') {
        await tx.run(
          `UPDATE jobs SET status = 'CANCELLED', cancel_requested = true, finished_at = $now WHERE id::VARCHAR = $id`,
          { id, now },
        );
      } else if (job.status === 'RUNNING') {
        await tx.run(`UPDATE jobs SET cancel_requested = true WHERE id::VARCHAR = $id`, { id });
      } else {
        return { job, changed: false };
      }
      return { job: await readIn(tx, id), changed: true };
    });
  }

  cancelled(id: string, now: Date): Promise<Job> {
    return this.finishRunning(
      id,
      `status = 'CANCELLED', cancel_requested = true, finished_at = $now, lease_expires_at = NULL`,
      {
        now,
      },
    );
  }

  release(id: string): Promise<Job> {
    return this.finishRunning(id, `status = 'QUEUED', lease_expires_at = NULL`, {});
  }

  async expire(options: {
    readonly leaseEndedBefore: Date | null;
    readonly now: Date;
    readonly ignore?: ReadonlySet<string>;
    readonly requeue: (job: Job) => boolean;
    readonly error: JobError;
  }): Promise<Job[]> {
    const selectExpired = `SELECT ${jobSelect} FROM jobs WHERE status = 'RUNNING'
      ${options.leaseEndedBefore ? 'AND lease_expires_at < $before' : ''} ORDER BY created_at, id`;
    const params = options.leaseEndedBefore ? { before: options.leaseEndedBefore } : {};
    const seen = await this.db.all(selectExpired, params);
    // Nothing to expire (every poll, nearly always): no write at all.
    if (!seen.some((row) => !options.ignore?.has(String(row['id'])))) return [];
    return this.db.transaction(async (tx) => {
      const rows = await tx.rows(selectExpired, params);
      const expired: Job[] = [];
      for (const job of rows.map(rowToJob)) {
        if (options.ignore?.has(job.id)) continue;
        const error = JSON.stringify(options.error);
        if (job.cancel_requested) {
          await tx.run(
            `UPDATE jobs SET status = 'CANCELLED', finished_at = $now, lease_expires_at = NULL WHERE id::VARCHAR = $id`,
            { id: job.id, now: options.now },
          );
        } else if (options.requeue(job)) {
          await tx.run(
            `UPDATE jobs SET status = 'QUEUED', error = $error, run_after = $now, lease_expires_at = NULL
             WHERE id::VARCHAR = $id`,
            { id: job.id, now: options.now, error },
          );
        } else {
          await tx.run(
            `UPDATE jobs SET status = 'FAILED', error = $error, finished_at = $now, lease_expires_at = NULL
             WHERE id::VARCHAR = $id`,
            { id: job.id, now: options.now, error },
          );
        }
        expired.push(await readIn(tx, job.id));
      }
      return expired;
    });
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.db.one(`SELECT ${jobSelect} FROM jobs WHERE id::VARCHAR = $id`, { id });
    return row ? rowToJob(row) : undefined;
  }

  list(request: ListRequest<JobListFilters>): Promise<Page<Job>> {
    return listPage(this.db, jobListSpec, request, rowToJob);
  }

  async statistics(durationBounds: readonly number[]): Promise<JobStatistics[]> {
    const params: Record<string, number> = {};
    const atMost = durationBounds.map((bound, i) => {
      params[`b${i}`] = bound;
      return `count(*) FILTER (WHERE seconds <= $b${i}::DOUBLE)`;
    });
    const rows = await this.db.all(
      `WITH timed AS (
         SELECT kind, status,
           CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL
             THEN date_diff('microsecond', started_at, finished_at) / 1e6 END AS seconds
         FROM jobs)
       SELECT kind, status, count(*) AS n, count(seconds) AS timed, coalesce(sum(seconds), 0) AS total,
         [${atMost.length > 0 ? atMost.join(', ') : ''}]::BIGINT[] AS at_most
       FROM timed GROUP BY kind, status ORDER BY kind, status`,
      params,
    );
    return rows.map((row) => ({
      kind: String(row['kind']),
      status: row['status'] as JobStatus,
      count: Number(row['n']),
      durations: {
        count: Number(row['timed']),
        sumSeconds: Number(row['total']),
        atMost: (row['at_most'] as unknown[]).map(Number),
      },
    }));
  }

  /** Applies `set` to a RUNNING job and returns it. */
  private async finishRunning(id: string, set: string, params: SqlParams): Promise<Job> {
    const rows = await this.db.write(
      `UPDATE jobs SET ${set} WHERE id::VARCHAR = $id AND status = 'RUNNING' RETURNING ${jobSelect}`,
      { id, ...params },
    );
    if (rows[0]) return rowToJob(rows[0]);
    const job = await this.get(id);
    if (!job) throw notFound('Job', id);
    throw new EngineError('CONFLICT', `job ${id} is ${job.status}, not RUNNING`, { id, status: job.status });
  }
}

async function readIn(tx: Transaction, id: string): Promise<Job> {
  const row = await tx.one(`SELECT ${jobSelect} FROM jobs WHERE id::VARCHAR = $id`, { id });
  if (!row) throw notFound('Job', id);
  return rowToJob(row);
}
