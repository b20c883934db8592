import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { type Api, type Credentials, createApi } from './api.ts';
import { DashboardEditor } from './dashboards/editor.tsx';
import { DashboardList } from './dashboards/list.tsx';
import { DashboardView } from './dashboards/view.tsx';
import { IncidentDetailPage, IncidentsPage } from './pages/incidents/index.tsx';
import { JobsPage } from './pages/jobs/index.tsx';
import { ModelsPage } from './pages/models/index.tsx';
import { RecurrencePage } from './pages/recurrence/index.tsx';
import { navigate, type Route, useRoute } from './router.ts';
import { forgetToken, logOut, type Me, storedCredentials } from './session.ts';
import { Shell } from './shell.tsx';
import { SignIn } from './sign-in.tsx';

const expiredNotice = 'Your session has expired or your token is no longer valid. Sign in again.';

/** The view of a route for a signed-in user. */
function RouteView(props: { route: Route; api: Api; me: Me | null }) {
  const { route, api, me } = props;
  switch (route.name) {
    case 'dashboard':
      return <DashboardView key={route.id} api={api} id={route.id} me={me} />;
    case 'dashboard-edit':
      return <DashboardEditor key={route.id} api={api} id={route.id} />;
    case 'dashboard-new':
      return <DashboardEditor key="new" api={api} id={null} />;
    case 'incidents':
      return <IncidentsPage api={api} />;
    case 'incident':
      return <IncidentDetailPage key={route.id} api={api} id={route.id} />;
    case 'recurrence':
      return <RecurrencePage api={api} />;
    case 'models':
      return <ModelsPage api={api} />;
    case 'jobs':
      return <JobsPage api={api} />;
    case 'not-found':
      return (
        <section data-testid="page-not-found" data-state="ready">
          <h1>Page not found</h1>
          <p>
            Nothing is at <code>#/{route.path}</code>. <a href="#/dashboards">Go to the dashboards</a>.
          </p>
        </section>
      );
    default:
      return <DashboardList api={api} me={me} />;
  }
}

/**
 * The web page: sign-in when there are no credentials (or they expired: any 401 comes back here
 * with a notice), else the navigation shell around the view of the current route.
 */
export function App() {
  const route = useRoute();
  const [credentials, setCredentials] = useState<Credentials | null>(storedCredentials);
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const expire = useCallback(() => {
    forgetToken();
    setCredentials(null);
    setMe(null);
    setNotice(expiredNotice);
  }, []);

  const api = useMemo(
    () => (credentials ? createApi({ credentials, onUnauthorized: expire }) : null),
    [credentials, expire],
  );

  useEffect(() => {
    if (!api || me) return;
    api.get<Me>('/api/auth/me/').then(setMe, () => undefined);
  }, [api, me]);

  if (!api || route.name === 'sign-in') {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(signedIn, who) => {
          setNotice(null);
          setMe(who);
          setCredentials(signedIn);
          if (route.name === 'sign-in') navigate({ name: 'dashboards' });
        }}
      />
    );
  }

  const signOut = async () => {
    await logOut(credentials);
    setCredentials(null);
    setMe(null);
    setNotice('You are signed out.');
    navigate({ name: 'sign-in' });
  };

  return (
    <Shell route={route} me={me} onSignOut={signOut}>
      <RouteView route={route} api={api} me={me} />
    </Shell>
  );
}
