import type { Api } from '../../api.ts';
import { useLoad } from '../shared/load.ts';
import { when } from '../shared/pager.tsx';
import { LoadStates } from '../shared/states.tsx';
import { type Related, relatedTo, scanPages } from './related.ts';
import type { Incident, IncidentPredictions } from './types.ts';

const percent = (p: number) => `${(p * 100).toFixed(0)}%`;

function Predictions(props: { predictions: IncidentPredictions | null }) {
  const p = props.predictions;
  if (!p || (!p.severity && !p.escalation && !p.resolution_time)) {
    return <p>No model has scored this incident yet.</p>;
  }
  return (
    <dl class="fields">
      {p.severity && (
        <>
          <dt>Predicted severity</dt>
          <dd>
            {p.severity.label} ({percent(p.severity.probabilities[p.severity.label] ?? 0)})
          </dd>
        </>
      )}
      {p.escalation && (
        <>
          <dt>Escalation probability</dt>
          <dd>{percent(p.escalation.probability)}</dd>
        </>
      )}
      {p.resolution_time && (
        <>
          <dt>Expected resolution time</dt>
          <dd>
            {p.resolution_time.value.toFixed(1)} hours (90%: {p.resolution_time.lower.toFixed(1)}–
            {p.resolution_time.upper.toFixed(1)})
          </dd>
        </>
      )}
    </dl>
  );
}

/** A related list's heading, its rows, and a note when the scan did not reach the end. */
function RelatedList<T>(props: {
  title: string;
  related: Related<T>;
  none: string;
  row: (item: T) => string;
}) {
  const { related } = props;
  return (
    <section aria-label={props.title}>
      <h2>{props.title}</h2>
      {related.items.length === 0 ? (
        <p>{props.none}</p>
      ) : (
        <ul>
          {related.items.map((item, i) => (
            <li key={i}>{props.row(item)}</li>
          ))}
        </ul>
      )}
      {related.truncated && <p class="note">Only the newest {scanPages * 100} records were searched.</p>}
    </section>
  );
}

/**
 * One incident: its fields, the predictions stored on it, and the anomalies, recurrence patterns
 * and cost analyses that name it.
 */
export function IncidentDetailPage(props: { api: Api; id: string }) {
  const loaded = useLoad(
    async () => {
      const incident = await props.api.get<Incident>(`/api/incidents/${encodeURIComponent(props.id)}/`);
      return { incident, related: await relatedTo(props.api, incident.id) };
    },
    () => false,
    [props.api, props.id],
  );
  return (
    <section data-testid="page-incident" data-state={loaded.state} aria-labelledby="incident-title">
      <p>
        <a href="#/incidents">Back to incidents</a>
      </p>
      <LoadStates loaded={loaded} empty="">
        {({ incident, related }) => (
          <>
            <h1 id="incident-title">{incident.title}</h1>
            <dl class="fields">
              <dt>Severity</dt>
              <dd>{incident.severity}</dd>
              <dt>Priority</dt>
              <dd>{incident.priority ?? '—'}</dd>
              <dt>Status</dt>
              <dd>{incident.status ?? '—'}</dd>
              <dt>Service</dt>
              <dd>{incident.service ?? '—'}</dd>
              <dt>Team</dt>
              <dd>{incident.team ?? '—'}</dd>
              <dt>Category</dt>
              <dd>{[incident.category, incident.subcategory].filter(Boolean).join(' / ') || '—'}</dd>
              <dt>Created</dt>
              <dd>{when(incident.created_at)}</dd>
              <dt>Acknowledged</dt>
              <dd>{when(incident.acknowledged_at)}</dd>
              <dt>Resolved</dt>
              <dd>{when(incident.resolved_at)}</dd>
              <dt>Escalation level</dt>
              <dd>{incident.escalation_level ?? '—'}</dd>
              <dt>Affected users</dt>
              <dd>{incident.affected_users ?? '—'}</dd>
              <dt>External id</dt>
              <dd>{incident.external_id ?? '—'}</dd>
            </dl>
            {incident.description && <p class="description">{incident.description}</p>}
            <section aria-label="Predictions">
              <h2>Predictions</h2>
              <Predictions predictions={incident.predictions} />
            </section>
            <RelatedList
              title="Anomalies"
              related={related.anomalies}
              none="No anomaly names this incident."
              row={(a) =>
                `${when(a.detected_at)} · ${a.severity} ${a.anomaly_type} · ${a.status} · ${a.description}`
              }
            />
            <RelatedList
              title="Recurrence patterns"
              related={related.recurrences}
              none="This incident belongs to no recurrence pattern."
              row={(r) =>
                `${r.recurrence_type} · ${r.occurrence_count} occurrences · confidence ${percent(r.confidence_score)}` +
                `${r.is_resolved ? ' · resolved' : ''} · ${r.description}`
              }
            />
            <RelatedList
              title="Costs"
              related={related.costs}
              none="No cost has been calculated for this incident."
              row={(c) =>
                `${c.cost_type}: ${c.cost_amount} ${c.currency}${c.is_validated ? ' (validated)' : ''} · ${c.calculation_method}`
              }
            />
          </>
        )}
      </LoadStates>
    </section>
  );
}
