import { useEffect, useState } from 'preact/hooks';
import type { Api, DrfPage } from '../../api.ts';
import { isActive, type Job, JobProgress } from '../shared/job.tsx';
import { messageOf, useLoad } from '../shared/load.ts';
import { when } from '../shared/pager.tsx';
import { LoadStates, Notice } from '../shared/states.tsx';
import { ModelPerformance } from './performance.tsx';

/** A predictive model as `/api/analytics/predictive-models/` returns it (the fields shown). */
interface PredictiveModel {
  id: string;
  name: string;
  description: string;
  model_type: string;
  algorithm_type: string;
  status: string;
  version: string;
  last_trained_at: string | null;
  training_samples_count: number | null;
  error_message?: string | null;
}

/** How often a training job is read while it runs. */
const pollMilliseconds = 1000;

/** Follows a job at `/api/jobs/{id}/` until its status is final; `onDone` once it is. */
function useJob(api: Api, initial: Job | null, onDone: () => void): Job | null {
  const [job, setJob] = useState<Job | null>(initial);
  useEffect(() => setJob(initial), [initial]);
  useEffect(() => {
    if (!job || !isActive(job)) return undefined;
    const timer = setTimeout(async () => {
      try {
        const next = await api.get<Job>(`/api/jobs/${job.id}/`);
        setJob(next);
        if (!isActive(next)) onDone();
      } catch {
        setJob({ ...job });
      }
    }, pollMilliseconds);
    return () => clearTimeout(timer);
  }, [api, job, onDone]);
  return job;
}

/** One model: its status, scores against the baseline, and the Train button with the job's progress. */
function ModelCard(props: { api: Api; model: PredictiveModel; onTrained: () => void }) {
  const { api, model } = props;
  const [started, setStarted] = useState<Job | null>(null);
  const [round, setRound] = useState(0);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const job = useJob(api, started, () => {
    setRound((r) => r + 1);
    props.onTrained();
  });
  const train = async () => {
    setNotice(null);
    try {
      setStarted(await api.post<Job>(`/api/analytics/predictive-models/${model.id}/train/`, {}));
    } catch (error) {
      setNotice({ kind: 'error', text: `Could not start training: ${messageOf(error)}` });
    }
  };
  const training = job !== null && isActive(job);
  return (
    <article class="card" aria-labelledby={`model-${model.id}`} data-testid="model">
      <h2 id={`model-${model.id}`}>{model.name}</h2>
      <p>
        {model.model_type} · {model.algorithm_type} · status{' '}
        <strong data-testid="model-status">{model.status}</strong> · version {model.version} · trained{' '}
        {when(model.last_trained_at)}
        {model.training_samples_count !== null ? ` on ${model.training_samples_count} samples` : ''}
      </p>
      {model.error_message && <p role="alert">Last training failed: {model.error_message}</p>}
      <ModelPerformance api={api} id={model.id} trained={model.version !== '0'} round={round} />
      <p>
        <button
          type="button"
          class="button small"
          onClick={train}
          disabled={training}
          aria-label={`Train ${model.name}`}
        >
          Train
        </button>{' '}
        {job && <JobProgress job={job} />}
      </p>
      <Notice notice={notice} />
    </article>
  );
}

/** Predictive models: status, scores against the naive baseline, and training with its progress. */
export function ModelsPage(props: { api: Api }) {
  const loaded = useLoad(
    () => props.api.get<DrfPage<PredictiveModel>>('/api/analytics/predictive-models/', { page_size: 100 }),
    (p) => p.results.length === 0,
    [props.api],
  );
  return (
    <section data-testid="page-models" data-state={loaded.state} aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <LoadStates loaded={loaded} empty="No predictive models yet.">
        {(data) => (
          <div class="cards">
            {data.results.map((model) => (
              <ModelCard key={model.id} api={props.api} model={model} onTrained={loaded.reload} />
            ))}
          </div>
        )}
      </LoadStates>
    </section>
  );
}
