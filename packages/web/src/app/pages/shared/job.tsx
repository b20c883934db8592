/** A job as `/api/jobs/` returns it (the fields the pages show). */
export interface Job {
  id: string;
  kind: string;
  scope: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  progress: { done: number; total: number | null; message: string | null };
  attempts: number;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: { code: string; message: string } | null;
  requested_by_username: string;
}

/** Whether a job may still change (and may be cancelled). */
export const isActive = (job: Job) => job.status === 'QUEUED' || job.status === 'RUNNING';

/** A job's progress: a bar (indeterminate while the total is unknown) and its words. */
export function JobProgress(props: { job: Job }) {
  const { job } = props;
  const { done, total, message } = job.progress;
  const finished = job.status === 'SUCCEEDED';
  const label = `${job.kind} ${job.status.toLowerCase()}`;
  return (
    <span class="job-progress" data-testid="job-progress" data-status={job.status}>
      {total !== null && total > 0 ? (
        <progress aria-label={label} max={total} value={finished ? total : done} />
      ) : isActive(job) ? (
        <progress aria-label={label} />
      ) : null}{' '}
      {job.status}
      {total !== null && total > 0 ? ` ${Math.round(((finished ? total : done) / total) * 100)}%` : ''}
      {message ? ` · ${message}` : ''}
      {job.error ? ` · ${job.error.code}: ${job.error.message}` : ''}
      {job.cancel_requested && isActive(job) ? ' · cancel requested' : ''}
    </span>
  );
}
