import { useState } from 'preact/hooks';
import type { Api, DrfPage } from '../../api.ts';
import { messageOf, useLoad } from '../shared/load.ts';
import { Pager, usePaging, when } from '../shared/pager.tsx';
import { LoadStates, Notice } from '../shared/states.tsx';

/** A recurrence analysis as `/api/analytics/recurrence-analyses/` returns it (the fields shown). */
interface Recurrence {
  id: string;
  recurrence_type: string;
  fingerprint: string;
  confidence_score: number;
  related_incidents: string[];
  occurrence_count: number;
  first_seen: string;
  last_seen: string;
  mean_interval_hours: number | null;
  affected_services: string[];
  description: string;
  is_resolved: boolean;
  resolved_at: string | null;
  resolution_notes: string | null;
}

const recurrenceTypes = ['EXACT_FINGERPRINT', 'SIMILAR_TEXT', 'PERIODIC'];

/** The notes form of one pattern being resolved. */
function ResolveForm(props: { onResolve: (notes: string) => Promise<void>; onCancel: () => void }) {
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        await props.onResolve(notes.trim());
        setBusy(false);
      }}
    >
      <label>
        Resolution notes{' '}
        <textarea
          value={notes}
          maxLength={10000}
          onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="submit" class="button primary small" disabled={busy}>
        Confirm resolve
      </button>
      <button type="button" class="button small" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** Recurrence patterns: filters by type and resolution, paging, and resolving a pattern with notes. */
export function RecurrencePage(props: { api: Api }) {
  const [type, setType] = useState('');
  const [resolved, setResolved] = useState('');
  const { page, pageSize, setPage, pagerProps } = usePaging();
  const [resolving, setResolving] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const loaded = useLoad(
    () =>
      props.api.get<DrfPage<Recurrence>>('/api/analytics/recurrence-analyses/', {
        recurrence_type: type,
        is_resolved: resolved,
        page,
        page_size: pageSize,
      }),
    (p) => p.results.length === 0,
    [props.api, type, resolved, page, pageSize],
  );
  const resolve = async (id: string, notes: string) => {
    try {
      await props.api.post(`/api/analytics/recurrence-analyses/${id}/resolve/`, {
        ...(notes ? { resolution_notes: notes } : {}),
      });
      setNotice({ kind: 'ok', text: 'Pattern resolved.' });
      setResolving(null);
      loaded.reload();
    } catch (error) {
      setNotice({ kind: 'error', text: `Could not resolve: ${messageOf(error)}` });
    }
  };
  return (
    <section data-testid="page-recurrence" data-state={loaded.state} aria-labelledby="recurrence-title">
      <h1 id="recurrence-title">Recurrence</h1>
      <div class="filters">
        <label>
          Pattern type{' '}
          <select
            value={type}
            onChange={(e) => {
              setType((e.currentTarget as HTMLSelectElement).value);
              setPage(1);
            }}
          >
            <option value="">Any</option>
            {recurrenceTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Resolved{' '}
          <select
            value={resolved}
            onChange={(e) => {
              setResolved((e.currentTarget as HTMLSelectElement).value);
              setPage(1);
            }}
          >
            <option value="">Any</option>
            <option value="false">Unresolved</option>
            <option value="true">Resolved</option>
          </select>
        </label>
      </div>
      <Notice notice={notice} />
      <LoadStates loaded={loaded} empty="No recurrence pattern matches.">
        {(data) => (
          <>
            <div class="table-scroll">
              <table>
                <caption>Recurrence patterns, {data.count} in all</caption>
                <thead>
                  <tr>
                    <th scope="col">Pattern</th>
                    <th scope="col">Type</th>
                    <th scope="col">Occurrences</th>
                    <th scope="col">Confidence</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Services</th>
                    <th scope="col">Resolved</th>
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((r) => (
                    <tr key={r.id}>
                      <td>{r.description}</td>
                      <td>{r.recurrence_type}</td>
                      <td>{r.occurrence_count}</td>
                      <td>{(r.confidence_score * 100).toFixed(0)}%</td>
                      <td>{when(r.last_seen)}</td>
                      <td>{r.affected_services.join(', ') || '—'}</td>
                      <td>
                        {r.is_resolved ? (
                          <span title={r.resolution_notes ?? ''}>Resolved {when(r.resolved_at)}</span>
                        ) : resolving === r.id ? (
                          <ResolveForm
                            onResolve={(notes) => resolve(r.id, notes)}
                            onCancel={() => setResolving(null)}
                          />
                        ) : (
                          <button type="button" class="button small" onClick={() => setResolving(r.id)}>
                            Resolve
                          </button>
                        )}
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
