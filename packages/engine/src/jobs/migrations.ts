import type { Migration } from '../store/migrations.ts';

/**
 * Migration 3: the job queue (`jobs`: one row per job, its parameters, state, lease, progress,
 * result or error, JSON as text) and the schedule state (`job_schedules`: the last slot each named
 * schedule ran, so a restart neither repeats a slot nor misses one).
 */
export const jobsMigration: Migration = {
  version: 3,
  name: 'jobs and job schedules',
  statements: [
    `CREATE TABLE jobs (
      id UUID PRIMARY KEY,
      kind VARCHAR NOT NULL,
      scope VARCHAR NOT NULL,
      parameters VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      progress_done DOUBLE NOT NULL DEFAULT 0,
      progress_total DOUBLE,
      progress_message VARCHAR,
      attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL,
      cancel_requested BOOLEAN NOT NULL DEFAULT false,
      created_at TIMESTAMP NOT NULL,
      run_after TIMESTAMP NOT NULL,
      started_at TIMESTAMP,
      finished_at TIMESTAMP,
      lease_expires_at TIMESTAMP,
      result VARCHAR,
      error VARCHAR,
      requested_by VARCHAR,
      requested_by_username VARCHAR NOT NULL,
      schedule VARCHAR
    )`,
    `CREATE TABLE job_schedules (
      name VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      last_slot_at TIMESTAMP NOT NULL,
      last_run_at TIMESTAMP NOT NULL,
      last_job_id VARCHAR
    )`,
  ],
};
