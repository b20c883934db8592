import { useEffect, useState } from 'preact/hooks';
import type { Api, DrfPage } from '../../api.ts';
import { isActive, type Job, JobProgress } from '../shared/job.tsx';
import { messageOf, useLoad } from '../shared/load.ts';
import { Pager, usePaging, when } from '../shared/pager.tsx';
import { LoadStates, Notice } from '../shared/states.tsx';

const jobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
/** How often the list is read again while one of its jobs is queued or running. */
const pollMilliseconds = 2000;

/** Background jobs, newest first: kind and status filters, progress, and cancel. */
export function JobsPage(props: { api: Api }) {
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const { page, pageSize, setPage, pagerProps } = usePaging();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const kinds = useLoad(
    () => props.api.get<{ kind: string; description: string }[]>('/api/jobs/kinds/'),
    () => false,
    [props.api],
  );
  const loaded = useLoad(
    () => props.api.get<DrfPage<Job>>('/api/jobs/', { kind, status, page, page_size: pageSize }),
    (p) => p.results.length === 0,
    [props.api, kind, status, page, pageSize],
  );
  const active = loaded.data?.results.some(isActive) ?? false;
  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(loaded.reload, pollMilliseconds);
    return () => clearTimeout(timer);
  }, [active, loaded.data, loaded.reload]);
  const cancel = async (job: Job) => {
    try {
      const after = await props.api.post<Job>(`/api/jobs/${job.id}/cancel/`);
      setNotice({
        kind: 'ok',
        text: `Job ${after.kind}: ${after.cancel_requested ? 'cancel requested' : after.status}.`,
      });
      loaded.reload();
    } catch (error) {
      setNotice({ kind: 'error', text: `Could not cancel: ${messageOf(error)}` });
    }
  };
  return (
    <section data-testid="page-jobs" data-state={loaded.state} aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <div class="filters">
        <label>
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              setKind((e.currentTarget as HTMLSelectElement).value);
              setPage(1);
            }}
          >
            <option value="">Any</option>
            {(kinds.data ?? []).map((k) => (
              <option key={k.kind} value={k.kind} title={k.description}>
                {k.kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus((e.currentTarget as HTMLSelectElement).value);
              setPage(1);
            }}
          >
            <option value="">Any</option>
            {jobStatuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="button small" onClick={loaded.reload}>
          Refresh
        </button>
      </div>
      <Notice notice={notice} />
      <LoadStates loaded={loaded} empty="No jobs match.">
        {(data) => (
          <>
            <div class="table-scroll">
              <table>
                <caption>Jobs, {data.count} in all</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Requested by</th>
                    <th scope="col">Created</th>
                    <th scope="col">Finished</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((job) => (
                    <tr key={job.id}>
                      <td title={job.scope}>{job.kind}</td>
                      <td>
                        <JobProgress job={job} />
                      </td>
                      <td>{job.requested_by_username}</td>
                      <td>{when(job.created_at)}</td>
                      <td>{when(job.finished_at)}</td>
                      <td>
                        {isActive(job) && !job.cancel_requested ? (
                          <button
                            type="button"
                            class="button small"
                            onClick={() => cancel(job)}
                            aria-label={`Cancel ${job.kind} job`}
                          >
                            Cancel
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager {...pagerProps(data)} />
          </>
        )}
      </LoadStates>
    </section>
  );
}
