import { useEffect, useState } from 'preact/hooks';
import { humanize } from '../../charts/index.ts';
import type { Api } from '../api.ts';
import { hrefOf, navigate } from '../router.ts';
import { ErrorState, errorMessage, Loading } from '../states.tsx';
import { useLoad } from '../use-load.ts';
import {
  type DashboardInput,
  fieldErrors,
  fieldId,
  inputOf,
  newDashboard,
  newWidget,
  splitNames,
} from './editor-model.ts';
import { Field } from './field.tsx';
import { GridPreview } from './grid-preview.tsx';
import { type DashboardConfig, dashboardTypes, type WidgetConfig } from './types.ts';
import { WidgetEditor } from './widget-editor.tsx';

const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The form of a dashboard: `id` null creates one (POST), else the stored one is replaced (PUT). */
export function DashboardEditor(props: { api: Api; id: string | null }) {
  const path =
    props.id === null ? null : `/api/analytics/dashboard-configurations/${encodeURIComponent(props.id)}/`;
  const stored = useLoad<DashboardInput>(
    async () => (path === null ? newDashboard() : inputOf(await props.api.get<DashboardConfig>(path))),
    props.id ?? 'new',
  );
  const [draft, setDraft] = useState<DashboardInput | null>(null);
  const [rolesText, setRolesText] = useState('');
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (stored.data) {
      setDraft(stored.data);
      setRolesText(stored.data.allowed_roles.join(', '));
    }
  }, [stored.data]);

  const pageState =
    stored.state === 'ready' && draft ? 'ready' : stored.state === 'error' ? 'error' : 'loading';
  const title = props.id === null ? 'New dashboard' : `Edit ${draft?.name || 'dashboard'}`;
  if (!draft) {
    return (
      <section class="page" data-testid="page-dashboard-editor" data-state={pageState}>
        <h1>{title}</h1>
        {stored.state === 'error' ? (
          <ErrorState error={stored.error} onRetry={stored.reload} />
        ) : (
          <Loading what="the dashboard" />
        )}
      </section>
    );
  }

  const update = (patch: Partial<DashboardInput>) => setDraft({ ...draft, ...patch });
  const setWidget = (index: number, widget: WidgetConfig) =>
    update({ widget_configs: draft.widget_configs.map((w, i) => (i === index ? widget : w)) });

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setFailure(null);
    const body = { ...draft, allowed_roles: splitNames(rolesText) };
    try {
      const saved =
        path === null
          ? await props.api.post<DashboardConfig>('/api/analytics/dashboard-configurations/', body)
          : await props.api.put<DashboardConfig>(path, body);
      setErrors(new Map());
      navigate({ name: 'dashboard', id: saved.id });
    } catch (caught) {
      const byField = fieldErrors(caught);
      setErrors(byField);
      setFailure(errorMessage(caught));
      const first = [...byField.keys()][0];
      // Let the error render, then take the person to the first named field.
      window.setTimeout(() => (first ? document.getElementById(fieldId(first))?.focus() : undefined), 0);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="page" data-testid="page-dashboard-editor" data-state={pageState}>
      <h1>{title}</h1>
      <form class="editor" onSubmit={save} noValidate>
        {failure ? (
          <p class="field-error" role="alert" id="editor-failure">
            Not saved: {failure}
          </p>
        ) : null}
        <Field path="name" label="Name" error={errors.get('name')}>
          {(a) => (
            <input
              {...a}
              value={draft.name}
              required
              onInput={(e) => update({ name: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field path="description" label="Description" error={errors.get('description')}>
          {(a) => (
            <textarea
              {...a}
              value={draft.description}
              rows={2}
              onInput={(e) => update({ description: e.currentTarget.value })}
            />
          )}
        </Field>
        <div class="field-row">
          <Field path="dashboard_type" label="Type" error={errors.get('dashboard_type')}>
            {(a) => (
              <select
                {...a}
                value={draft.dashboard_type}
                onChange={(e) =>
                  update({ dashboard_type: e.currentTarget.value as DashboardInput['dashboard_type'] })
                }
              >
                {dashboardTypes.map((type) => (
                  <option key={type} value={type}>
                    {humanize(type)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            path="layout_config.rows"
            label="Grid rows (1 to 24)"
            error={errors.get('layout_config.rows') ?? errors.get('layout_config')}
          >
            {(a) => (
              <input
                {...a}
                type="number"
                value={draft.layout_config.rows}
                onInput={(e) =>
                  update({ layout_config: { ...draft.layout_config, rows: numberOf(e.currentTarget.value) } })
                }
              />
            )}
          </Field>
          <Field
            path="layout_config.columns"
            label="Grid columns (1 to 24)"
            error={errors.get('layout_config.columns')}
          >
            {(a) => (
              <input
                {...a}
                type="number"
                value={draft.layout_config.columns}
                onInput={(e) =>
                  update({
                    layout_config: { ...draft.layout_config, columns: numberOf(e.currentTarget.value) },
                  })
                }
              />
            )}
          </Field>
        </div>
        <h2>Widgets</h2>
        {errors.get('widget_configs') ? <p class="field-error">{errors.get('widget_configs')}</p> : null}
        <GridPreview layout={draft.layout_config} widgets={draft.widget_configs} />
        {draft.widget_configs.map((widget, index) => (
          <WidgetEditor
            key={index}
            index={index}
            widget={widget}
            errors={errors}
            onChange={(w) => setWidget(index, w)}
            onRemove={() => update({ widget_configs: draft.widget_configs.filter((_, i) => i !== index) })}
          />
        ))}
        <button
          type="button"
          class="button"
          onClick={() =>
            update({
              widget_configs: [
                ...draft.widget_configs,
                newWidget('kpi_summary', draft.layout_config, draft.widget_configs),
              ],
            })
          }
        >
          Add a widget
        </button>
        <h2>Access and refresh</h2>
        <div class="field-row checks">
          <label>
            <input
              type="checkbox"
              checked={draft.is_public}
              onChange={(e) => update({ is_public: e.currentTarget.checked })}
            />{' '}
            Public (everyone may see it)
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.is_active}
              onChange={(e) => update({ is_active: e.currentTarget.checked })}
            />{' '}
            Active
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.auto_refresh_enabled}
              onChange={(e) => update({ auto_refresh_enabled: e.currentTarget.checked })}
            />{' '}
            Refresh automatically
          </label>
        </div>
        <div class="field-row">
          <Field
            path="allowed_roles"
            label="Roles that may see it (comma-separated)"
            error={errors.get('allowed_roles')}
            hint="For example: executive, manager. Its creator and admins always may."
          >
            {(a) => <input {...a} value={rolesText} onInput={(e) => setRolesText(e.currentTarget.value)} />}
          </Field>
          <Field
            path="refresh_interval_seconds"
            label="Refresh interval (seconds, 10 to 86400)"
            error={errors.get('refresh_interval_seconds')}
          >
            {(a) => (
              <input
                {...a}
                type="number"
                value={draft.refresh_interval_seconds}
                onInput={(e) => update({ refresh_interval_seconds: numberOf(e.currentTarget.value) })}
              />
            )}
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save dashboard'}
          </button>
          <a
            class="button"
            href={
              props.id === null ? hrefOf({ name: 'dashboards' }) : hrefOf({ name: 'dashboard', id: props.id })
            }
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
