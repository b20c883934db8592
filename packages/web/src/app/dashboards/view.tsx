import { useEffect } from 'preact/hooks';
import { formatInstant } from '../../charts/index.ts';
import type { Api } from '../api.ts';
import { hrefOf } from '../router.ts';
import { canEditDashboard, canWrite, type Me } from '../session.ts';
import { ErrorState, errorMessage, Loading } from '../states.tsx';
import { useLoad } from '../use-load.ts';
import { preloadCharts } from '../widgets/chart.tsx';
import { widgetComponents } from '../widgets/index.tsx';
import { gridTemplate, readingOrder, refreshPeriodMs } from './grid.ts';
import type { DashboardConfig, DashboardData } from './types.ts';

/** Reloads `reload` every `periodMs` while the page is visible; never when `periodMs` is null. */
function useAutoRefresh(periodMs: number | null, reload: () => Promise<void>): void {
  useEffect(() => {
    if (periodMs === null) return;
    const timer = window.setInterval(() => {
      if (!document.hidden) void reload();
    }, periodMs);
    return () => window.clearInterval(timer);
  }, [periodMs, reload]);
}

/**
 * A dashboard: its configuration's widgets laid out on its grid, filled from
 * `GET /api/analytics/dashboard/{id}/data/`, reloaded at the configuration's refresh interval when
 * auto refresh is on (the ETag makes an unchanged reload a 304). A failed reload keeps the data
 * shown and says so.
 */
export function DashboardView(props: { api: Api; id: string; me: Me | null }) {
  const id = encodeURIComponent(props.id);
  const config = useLoad(
    () => props.api.get<DashboardConfig>(`/api/analytics/dashboard-configurations/${id}/`),
    props.id,
    (c) => c.widget_configs.length === 0,
  );
  const data = useLoad(() => props.api.get<DashboardData>(`/api/analytics/dashboard/${id}/data/`), props.id);
  useAutoRefresh(config.data ? refreshPeriodMs(config.data) : null, data.reload);
  useEffect(preloadCharts, []);

  const staleError = data.state === 'error' && data.data !== undefined;
  const dataState = staleError ? 'ready' : data.state;
  const dashboard = config.data;
  const pageState = config.state === 'ready' && data.state === 'loading' ? 'loading' : config.state;
  return (
    <section
      class="page"
      data-testid="page-dashboard"
      data-state={pageState}
      aria-busy={pageState === 'loading'}
    >
      {config.state === 'loading' ? <Loading what="the dashboard" /> : null}
      {config.state === 'error' ? <ErrorState error={config.error} onRetry={config.reload} /> : null}
      {dashboard ? (
        <>
          <div class="page-header">
            <div>
              <h1>{dashboard.name}</h1>
              {dashboard.description ? <p class="muted">{dashboard.description}</p> : null}
            </div>
            <div class="page-tools">
              <span class="muted" role="status">
                {data.data ? `Updated ${formatInstant(data.data.last_updated)}` : ''}
                {dashboard.auto_refresh_enabled
                  ? ` · refreshes every ${dashboard.refresh_interval_seconds} s`
                  : ''}
              </span>
              <button type="button" class="button" onClick={() => void data.reload()}>
                Refresh
              </button>
              {canEditDashboard(props.me, dashboard) ? (
                <a class="button" href={hrefOf({ name: 'dashboard-edit', id: props.id })}>
                  Edit
                </a>
              ) : null}
            </div>
          </div>
          {staleError ? (
            <p class="notice" role="alert">
              The last refresh failed ({errorMessage(data.error)}); the data shown is from before.
            </p>
          ) : null}
          {config.state === 'empty' ? (
            <p class="state state-empty">This dashboard has no widgets yet.</p>
          ) : null}
          <div class="dashboard-grid" style={gridTemplate(dashboard.layout_config)}>
            {readingOrder(dashboard.widget_configs).map((widget, index) => {
              const Widget = widgetComponents[widget.type];
              return Widget ? (
                <Widget
                  key={`${widget.type}-${widget.position.row}-${widget.position.column}`}
                  widget={widget}
                  data={data.data}
                  dataState={dataState}
                  dataError={data.error}
                  api={props.api}
                  canWrite={canWrite(props.me)}
                  onChanged={() => void data.reload()}
                  headingId={`widget-${index}`}
                />
              ) : null;
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}
