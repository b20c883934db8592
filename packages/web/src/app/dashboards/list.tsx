import { humanize } from '../../charts/index.ts';
import type { Api, DrfPage } from '../api.ts';
import { hrefOf } from '../router.ts';
import { canEditDashboard, canWrite, type Me } from '../session.ts';
import { Empty, ErrorState, Loading } from '../states.tsx';
import { useLoad } from '../use-load.ts';
import type { DashboardConfig } from './types.ts';

/** Who may see a dashboard, in words. Pure. */
function audience(dashboard: Pick<DashboardConfig, 'is_public' | 'allowed_roles'>): string {
  if (dashboard.is_public) return 'Everyone';
  if (dashboard.allowed_roles.length === 0) return 'Its creator and admins';
  return `Roles: ${dashboard.allowed_roles.join(', ')}`;
}

/** The dashboards the user may see (the API lists no others), with links to open or edit them. */
export function DashboardList(props: { api: Api; me: Me | null }) {
  const list = useLoad(
    () =>
      props.api.get<DrfPage<DashboardConfig>>('/api/analytics/dashboard-configurations/', { page_size: 100 }),
    'dashboards',
    (page) => page.results.length === 0,
  );
  const writer = canWrite(props.me);
  return (
    <section class="page" data-testid="page-dashboards" data-state={list.state}>
      <div class="page-header">
        <h1>Dashboards</h1>
        {writer ? (
          <a class="button primary" href={hrefOf({ name: 'dashboard-new' })}>
            New dashboard
          </a>
        ) : null}
      </div>
      {list.state === 'loading' ? <Loading what="dashboards" /> : null}
      {list.state === 'error' ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.state === 'empty' ? (
        <Empty>No dashboard is visible to you yet.{writer ? ' Create one with “New dashboard”.' : ''}</Empty>
      ) : null}
      {list.state === 'ready' && list.data ? (
        <ul class="card-list">
          {list.data.results.map((dashboard) => (
            <li key={dashboard.id} class="card" data-dashboard-id={dashboard.id}>
              <h2>
                <a href={hrefOf({ name: 'dashboard', id: dashboard.id })}>{dashboard.name}</a>
              </h2>
              <p class="muted">
                {humanize(dashboard.dashboard_type)} · {dashboard.widget_configs.length} widgets ·{' '}
                {audience(dashboard)}
                {dashboard.is_active ? '' : ' · inactive'}
              </p>
              {dashboard.description ? <p>{dashboard.description}</p> : null}
              {canEditDashboard(props.me, dashboard) ? (
                <a class="button small" href={hrefOf({ name: 'dashboard-edit', id: dashboard.id })}>
                  Edit<span class="visually-hidden"> {dashboard.name}</span>
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
