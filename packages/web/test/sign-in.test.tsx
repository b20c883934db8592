// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/app.tsx';
import { SignIn } from '../src/app/sign-in.tsx';

let root: HTMLElement;
let requests: { url: string; init: RequestInit }[];
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  requests = [];
  window.sessionStorage.clear();
  window.location.hash = '';
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

/** Stubs `fetch` with answers by path. */
function answer(byPath: Record<string, () => Response>) {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    requests.push({ url, init });
    const make = byPath[url.split('?')[0]!];
    return make
      ? make()
      : new Response(JSON.stringify({ error: 'no', code: 'NOT_FOUND', details: null }), { status: 404 });
  });
}
const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const me = { id: 'u1', username: 'ana', role: 'analyst', roles: ['analyst'], method: 'session' };
const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });
const type = (id: string, value: string) =>
  act(() => {
    const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
const submit = () =>
  act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });

describe('sign in', () => {
  it('has the fields and the one "Sign in" button the tests rely on', () => {
    render(<SignIn notice={null} onSignedIn={() => undefined} />, root);
    for (const id of ['username', 'password', 'token'])
      expect(root.querySelector(`input#${id}`)).not.toBeNull();
    expect([...root.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Sign in']);
  });

  it('logs in with user name and password, then keeps the CSRF token for unsafe requests', async () => {
    answer({
      '/api/auth/login/': json(200, { csrf_token: 'csrf9', user: {}, expires_at: '' }),
      '/api/auth/me/': json(200, me),
    });
    const signedIn = vi.fn();
    render(<SignIn notice={null} onSignedIn={signedIn} />, root);
    await type('username', 'ana');
    await type('password', 'secret-1');
    await submit();
    await settle();
    expect(requests[0]).toMatchObject({
      url: '/api/auth/login/',
      init: { method: 'POST', body: '{"username":"ana","password":"secret-1"}' },
    });
    expect(signedIn).toHaveBeenCalledWith({ kind: 'session', csrfToken: 'csrf9' }, me);
  });

  it('checks a pasted token before keeping it, and says when it is refused', async () => {
    answer({
      '/api/auth/me/': json(401, { error: 'Invalid token', code: 'UNAUTHENTICATED', details: null }),
    });
    const signedIn = vi.fn();
    render(<SignIn notice={null} onSignedIn={signedIn} />, root);
    await type('token', 'ii_wrong');
    await submit();
    await settle();
    expect(new Headers(requests[0]!.init.headers).get('Authorization')).toBe('Token ii_wrong');
    expect(signedIn).not.toHaveBeenCalled();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('The token was not accepted.');
    expect(window.sessionStorage.getItem('insights.token')).toBeNull();
  });

  it('asks for the missing fields without calling the server', async () => {
    answer({});
    render(<SignIn notice={null} onSignedIn={() => undefined} />, root);
    await submit();
    expect(requests).toHaveLength(0);
    expect(root.querySelector('[role="alert"]')?.textContent).toBe(
      'Enter a user name and password, or an API token.',
    );
  });
});

describe('an expired session', () => {
  it('brings the page back to sign-in with a message', async () => {
    window.sessionStorage.setItem('insights.token', 'ii_expired');
    answer({
      '/api/auth/me/': json(401, { error: 'Invalid token', code: 'UNAUTHENTICATED', details: null }),
      '/api/analytics/dashboard-configurations/': json(401, {
        error: 'Invalid token',
        code: 'UNAUTHENTICATED',
        details: null,
      }),
    });
    render(<App />, root);
    await settle();
    expect(root.querySelector('#username')).not.toBeNull();
    expect(root.querySelector('.notice')?.textContent).toContain('Your session has expired');
    expect(window.sessionStorage.getItem('insights.token')).toBeNull();
  });

  it('shows the navigation once signed in', async () => {
    window.sessionStorage.setItem('insights.token', 'ii_good');
    answer({
      '/api/auth/me/': json(200, me),
      '/api/analytics/dashboard-configurations/': json(200, {
        count: 0,
        next: null,
        previous: null,
        results: [],
      }),
    });
    render(<App />, root);
    await settle();
    const links = [...root.querySelectorAll('nav a')].map((a) => a.textContent);
    expect(links).toEqual(['Dashboards', 'Incidents', 'Recurrence', 'Models', 'Jobs']);
    expect(root.querySelector('[data-testid="page-dashboards"]')?.getAttribute('data-state')).toBe('empty');
  });
});
