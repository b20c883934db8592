import { useState } from 'preact/hooks';
import { type AnomalyJson, formatInstant, humanize } from '../../charts/index.ts';
import type { Api } from '../api.ts';
import { errorMessage } from '../states.tsx';
import { type AnomalyAction, actionRequest, allowedActions } from './anomaly-actions.ts';

/**
 * One anomaly of the list: severity, type, status, when, services, description, and the buttons of
 * the lifecycle actions its status allows (for users who may act). `onChanged` gets the anomaly the
 * action returned.
 */
export function AnomalyRow(props: {
  anomaly: AnomalyJson;
  api: Api;
  canWrite: boolean;
  highlighted: boolean;
  onChanged: (anomaly: AnomalyJson) => void;
}) {
  const { anomaly } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const descriptionId = `anomaly-${anomaly.id}`;

  const act = async (action: AnomalyAction) => {
    setBusy(true);
    setError(null);
    try {
      const request = actionRequest(anomaly.id, action);
      props.onChanged(await props.api.post<AnomalyJson>(request.path, request.body));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      class={props.highlighted ? 'anomaly highlighted' : 'anomaly'}
      data-anomaly-id={anomaly.id}
      data-status={anomaly.status}
    >
      <div class="anomaly-head">
        <span class={`badge severity-${anomaly.severity.toLowerCase()}`}>{humanize(anomaly.severity)}</span>
        <span class="anomaly-type">{humanize(anomaly.anomaly_type)}</span>
        <span class="badge status">{humanize(anomaly.status)}</span>
        <time dateTime={anomaly.detected_at}>{formatInstant(anomaly.detected_at)}</time>
      </div>
      <p id={descriptionId} class="anomaly-description">
        {anomaly.description}
        {anomaly.affected_services.length > 0 ? ` (${anomaly.affected_services.join(', ')})` : ''}
      </p>
      {props.canWrite && allowedActions(anomaly.status).length > 0 ? (
        <div class="actions">
          {allowedActions(anomaly.status).map((action) => (
            <button
              key={action}
              type="button"
              class="button small"
              disabled={busy}
              aria-describedby={descriptionId}
              onClick={() => void act(action)}
            >
              {action}
            </button>
          ))}
        </div>
      ) : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
