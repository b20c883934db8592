import { ApiError, type Credentials } from './api.ts';

const tokenKey = 'insights.token';
const csrfCookie = 'insights_csrf';

/** The signed-in user as `GET /api/auth/me/` describes it. */
export interface Me {
  id: string;
  username: string;
  role: string;
  roles: string[];
  method: string;
}

/** Whether `me` may create and change dashboards and act on anomalies (analysts and admins). */
export function canWrite(me: Me | null): boolean {
  return me !== null && (me.role === 'admin' || me.role === 'analyst');
}

/**
 * Whether `me` may change a dashboard: admins, and analysts for the dashboards they created (the
 * API answers FORBIDDEN to anyone else).
 */
export function canEditDashboard(
  me: Me | null,
  dashboard: { created_by?: string | null | undefined },
): boolean {
  return me !== null && (me.role === 'admin' || (me.role === 'analyst' && dashboard.created_by === me.id));
}

/** A cookie's value from a `document.cookie` string; `null` when absent. Pure. */
export function cookieValue(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * The credentials kept from an earlier sign-in in this tab: a pasted token (session storage, so it
 * ends with the tab) or the session whose CSRF cookie is still there.
 */
export function storedCredentials(): Credentials | null {
  const token = window.sessionStorage.getItem(tokenKey);
  if (token) return { kind: 'token', token };
  const csrfToken = cookieValue(document.cookie, csrfCookie);
  return csrfToken ? { kind: 'session', csrfToken } : null;
}

/** Keeps a pasted token for this tab. */
export function rememberToken(token: string): void {
  window.sessionStorage.setItem(tokenKey, token);
}

/** Forgets the kept token (the session cookie is ended by the server's logout). */
export function forgetToken(): void {
  window.sessionStorage.removeItem(tokenKey);
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as {
    error?: string;
    code?: string;
    details?: unknown;
  };
  return new ApiError(
    response.status,
    body.code ?? `HTTP_${response.status}`,
    body.error ?? `${response.status} ${response.statusText}`,
    body.details ?? null,
  );
}

/** Session login (`POST /api/auth/login/`): sets the session cookie and gives the CSRF token. */
export async function logIn(username: string, password: string): Promise<Credentials> {
  const response = await fetch('/api/auth/login/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await failure(response);
  const body = (await response.json()) as { csrf_token: string };
  return { kind: 'session', csrfToken: body.csrf_token };
}

/** Ends the session on the server (with a session) and forgets the kept token. */
export async function logOut(credentials: Credentials | null): Promise<void> {
  forgetToken();
  if (credentials?.kind !== 'session') return;
  await fetch('/api/auth/logout/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': credentials.csrfToken },
  }).catch(() => undefined);
}
