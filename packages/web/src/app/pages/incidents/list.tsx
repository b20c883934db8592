import { useState } from 'preact/hooks';
import type { Api, DrfPage } from '../../api.ts';
import { useLoad } from '../shared/load.ts';
import { Pager, SortHeader, usePaging, when } from '../shared/pager.tsx';
import { LoadStates } from '../shared/states.tsx';
import {
  type Incident,
  type IncidentFilters,
  priorityValues,
  severityValues,
  statusValues,
} from './types.ts';

const noFilters: IncidentFilters = {
  search: '',
  service: '',
  severity: '',
  status: '',
  priority: '',
  created_after: '',
  created_before: '',
};

type Edit = (name: keyof IncidentFilters, value: string) => void;

function Choice(props: {
  label: string;
  name: keyof IncidentFilters;
  values: string[];
  draft: IncidentFilters;
  edit: Edit;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        name={props.name}
        value={props.draft[props.name]}
        onChange={(e) => props.edit(props.name, (e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">Any</option>
        {props.values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

function Field(props: {
  label: string;
  name: keyof IncidentFilters;
  type: 'search' | 'text' | 'date';
  draft: IncidentFilters;
  edit: Edit;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type={props.type as 'text'}
        name={props.name}
        value={props.draft[props.name]}
        onInput={(e) => props.edit(props.name, (e.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );
}

const trimmed = (f: IncidentFilters): IncidentFilters =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.trim()])) as unknown as IncidentFilters;

/**
 * The incidents list: search (title and description), filters (service, severity, status,
 * priority, created between two dates), DRF paging with a page size, and ordering by a column.
 */
export function IncidentsPage(props: { api: Api }) {
  const [filters, setFilters] = useState<IncidentFilters>(noFilters);
  const [draft, setDraft] = useState<IncidentFilters>(noFilters);
  const edit: Edit = (name, value) => setDraft((d) => ({ ...d, [name]: value }));
  const { page, pageSize, setPage, pagerProps } = usePaging();
  const [ordering, setOrdering] = useState('-created_at');
  const loaded = useLoad(
    () =>
      props.api.get<DrfPage<Incident>>('/api/incidents/', {
        ...filters,
        page,
        page_size: pageSize,
        ordering,
      }),
    (p) => p.results.length === 0,
    [props.api, filters, page, pageSize, ordering],
  );
  const order = (next: string) => {
    setOrdering(next);
    setPage(1);
  };
  return (
    <section data-testid="page-incidents" data-state={loaded.state} aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidents</h1>
      <form
        class="filters"
        aria-label="Filter incidents"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(trimmed(draft));
          setPage(1);
        }}
      >
        <Field label="Search" name="search" type="search" draft={draft} edit={edit} />
        <Field label="Service" name="service" type="text" draft={draft} edit={edit} />
        <Choice label="Severity" name="severity" values={severityValues} draft={draft} edit={edit} />
        <Choice label="Status" name="status" values={statusValues} draft={draft} edit={edit} />
        <Choice label="Priority" name="priority" values={priorityValues} draft={draft} edit={edit} />
        <Field label="Created from" name="created_after" type="date" draft={draft} edit={edit} />
        <Field label="Created before" name="created_before" type="date" draft={draft} edit={edit} />
        <button type="submit" class="button primary small">
          Apply
        </button>
        <button
          type="button"
          class="button small"
          onClick={() => {
            setDraft(noFilters);
            setFilters(noFilters);
            setPage(1);
          }}
        >
          Clear
        </button>
      </form>
      <LoadStates loaded={loaded} empty="No incidents match.">
        {(data) => (
          <>
            <div class="table-scroll">
              <table>
                <caption>Incidents, {data.count} in all</caption>
                <thead>
                  <tr>
                    <SortHeader field="title" label="Title" ordering={ordering} onOrder={order} />
                    <SortHeader field="severity" label="Severity" ordering={ordering} onOrder={order} />
                    <SortHeader field="priority" label="Priority" ordering={ordering} onOrder={order} />
                    <SortHeader field="status" label="Status" ordering={ordering} onOrder={order} />
                    <SortHeader field="service" label="Service" ordering={ordering} onOrder={order} />
                    <SortHeader field="created_at" label="Created" ordering={ordering} onOrder={order} />
                  </tr>
                </thead>
                <tbody>
                  {data.results.map((incident) => (
                    <tr key={incident.id}>
                      <td>
                        <a href={`#/incidents/${incident.id}`}>{incident.title}</a>
                      </td>
                      <td>{incident.severity}</td>
                      <td>{incident.priority ?? '—'}</td>
                      <td>{incident.status ?? '—'}</td>
                      <td>{incident.service ?? '—'}</td>
                      <td>{when(incident.created_at)}</td>
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
