import type { Api } from '../../api.ts';
import { useLoad } from '../shared/load.ts';

/** `GET /api/analytics/predictive-models/{id}/performance/` (the fields shown). */
interface Performance {
  version: string;
  task: string;
  metrics: Record<string, unknown>;
  baseline: { name: string; metrics: Record<string, unknown> | null };
  beats_baseline: boolean | null;
  verdict: string;
}

const shown = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : '—');

/** The model's numeric metrics beside the naive baseline's on the same held-out rows. */
function ScoreTable(props: { performance: Performance }) {
  const { metrics, baseline } = props.performance;
  const names = Object.keys(metrics).filter((name) => typeof metrics[name] === 'number');
  if (names.length === 0) return null;
  return (
    <table class="scores">
      <caption>Held-out scores, model and {baseline.name.replaceAll('_', ' ')} baseline</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Model</th>
          <th scope="col">Baseline</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{shown(metrics[name])}</td>
            <td>{shown(baseline.metrics?.[name])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A trained model's scores beside its naive baseline, with the verdict; a model never trained has
 * none (the API answers 409), which is said in words. `round` reloads it after a training.
 */
export function ModelPerformance(props: { api: Api; id: string; trained: boolean; round: number }) {
  const loaded = useLoad(
    async () =>
      props.trained
        ? props.api.get<Performance>(`/api/analytics/predictive-models/${props.id}/performance/`)
        : null,
    () => false,
    [props.api, props.id, props.trained, props.round],
  );
  if (!props.trained) return <p class="muted">Not trained yet: no scores.</p>;
  if (loaded.state === 'error') return <p role="alert">Scores unavailable: {loaded.error}</p>;
  if (!loaded.data) return <p role="status">Loading scores…</p>;
  const p = loaded.data;
  const against =
    p.beats_baseline === null
      ? 'no baseline to compare'
      : p.beats_baseline
        ? 'beats the baseline'
        : 'does not beat the baseline';
  return (
    <div data-testid="model-performance">
      <p>
        <strong>{against}</strong>: {p.verdict}
      </p>
      <ScoreTable performance={p} />
    </div>
  );
}
