import { useEffect, useState } from 'preact/hooks';

/** A place in the web page, as the URL's hash names it (`#/dashboards/<id>`). */
export type Route =
  | { name: 'sign-in' }
  | { name: 'dashboards' }
  | { name: 'dashboard'; id: string }
  | { name: 'dashboard-edit'; id: string }
  | { name: 'dashboard-new' }
  | { name: 'incidents' }
  | { name: 'incident'; id: string }
  | { name: 'recurrence' }
  | { name: 'models' }
  | { name: 'jobs' }
  | { name: 'not-found'; path: string };

const simple: Readonly<Record<string, Route>> = {
  '': { name: 'dashboards' },
  'sign-in': { name: 'sign-in' },
  dashboards: { name: 'dashboards' },
  'dashboards/new': { name: 'dashboard-new' },
  incidents: { name: 'incidents' },
  recurrence: { name: 'recurrence' },
  models: { name: 'models' },
  jobs: { name: 'jobs' },
};

/** The route a hash names (`#/dashboards/abc/edit`); an unknown hash is `not-found`. Pure. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#?\/?/, '').replace(/\/+$/, '');
  const known = simple[path];
  if (known) return known;
  const parts = path.split('/').map((part) => decodeURIComponent(part));
  const [section, id, action] = parts;
  if (section === 'dashboards' && id && parts.length === 2) return { name: 'dashboard', id };
  if (section === 'dashboards' && id && action === 'edit' && parts.length === 3)
    return { name: 'dashboard-edit', id };
  if (section === 'incidents' && id && parts.length === 2) return { name: 'incident', id };
  return { name: 'not-found', path };
}

/** The hash of a route, the inverse of {@link parseRoute}. Pure. */
export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'dashboard':
      return `#/dashboards/${encodeURIComponent(route.id)}`;
    case 'dashboard-edit':
      return `#/dashboards/${encodeURIComponent(route.id)}/edit`;
    case 'dashboard-new':
      return '#/dashboards/new';
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'not-found':
      return `#/${route.path}`;
    default:
      return `#/${route.name}`;
  }
}

/** Goes to `route` (a new history entry). */
export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

/** The current route, following the hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
