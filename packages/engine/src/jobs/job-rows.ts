import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import type { Job, JobError, JobStatus, JsonValue } from './job-types.ts';

/** The select list that {@link rowToJob} reads. */
export const jobSelect = `id::VARCHAR AS id, kind, scope, parameters, status, progress_done, progress_total,
  progress_message, attempts, max_attempts, cancel_requested, created_at, run_after, started_at,
  finished_at, result, error, requested_by, requested_by_username, schedule`;

/** How jobs are listed: filters `kind` and `status` (exact), newest first. */
export const jobListSpec: ListSpec = {
  from: 'jobs',
  select: jobSelect,
  filters: {
    kind: { column: 'kind', op: 'eq' },
    status: { column: 'status', op: 'eq' },
  },
  orderable: { created_at: 'created_at', finished_at: 'finished_at', kind: 'kind', status: 'status' },
  searchable: ['kind', 'scope'],
  defaultOrdering: '-created_at',
};

function json<T>(text: unknown, fallback: T): T {
  return typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
}

function date(value: unknown): Date | null {
  return value instanceof Date ? value : null;
}

/** A `jobs` row (selected with {@link jobSelect}) as the {@link Job} record. */
export function rowToJob(row: Row): Job {
  return {
    id: String(row['id']),
    kind: String(row['kind']),
    scope: String(row['scope']),
    parameters: json<{ [key: string]: JsonValue }>(row['parameters'], {}),
    status: row['status'] as JobStatus,
    progress: {
      done: Number(row['progress_done'] ?? 0),
      total: row['progress_total'] === null ? null : Number(row['progress_total']),
      message: (row['progress_message'] as string | null) ?? null,
    },
    attempts: Number(row['attempts']),
    max_attempts: Number(row['max_attempts']),
    cancel_requested: Boolean(row['cancel_requested']),
    created_at: row['created_at'] as Date,
    run_after: row['run_after'] as Date,
    started_at: date(row['started_at']),
    finished_at: date(row['finished_at']),
    result: json<JsonValue | null>(row['result'], null),
    error: json<JobError | null>(row['error'], null),
    requested_by: (row['requested_by'] as string | null) ?? null,
    requested_by_username: String(row['requested_by_username']),
    schedule: (row['schedule'] as string | null) ?? null,
  };
}
