import type { ComponentChildren } from 'preact';
import { hrefOf, type Route } from './router.ts';
import type { Me } from './session.ts';

const sections = [
  {
    label: 'Dashboards',
    route: { name: 'dashboards' },
    matches: ['dashboards', 'dashboard', 'dashboard-edit', 'dashboard-new'],
  },
  { label: 'Incidents', route: { name: 'incidents' }, matches: ['incidents', 'incident'] },
  { label: 'Recurrence', route: { name: 'recurrence' }, matches: ['recurrence'] },
  { label: 'Models', route: { name: 'models' }, matches: ['models'] },
  { label: 'Jobs', route: { name: 'jobs' }, matches: ['jobs'] },
] as const satisfies readonly { label: string; route: Route; matches: readonly Route['name'][] }[];

/** The page around every signed-in view: a skip link, the navigation, who is signed in, sign out. */
export function Shell(props: {
  route: Route;
  me: Me | null;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  return (
    <div class="shell">
      <button type="button" class="skip-link" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="top-bar">
        <span class="brand">Incident Insights</span>
        <nav aria-label="Main">
          <ul>
            {sections.map((section) => {
              const current = (section.matches as readonly string[]).includes(props.route.name);
              return (
                <li key={section.label}>
                  <a href={hrefOf(section.route)} aria-current={current ? 'page' : undefined}>
                    {section.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="who">
          {props.me ? (
            <span>
              {props.me.username} <span class="muted">({props.me.role})</span>
            </span>
          ) : null}
          <button type="button" class="button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

/** Moves the focus to the main content (a button, not a link: the hash is the router's). */
function skipToMain(): void {
  document.getElementById('main')?.focus();
}
