import { useState } from 'preact/hooks';
import { ApiError, type Credentials, createApi } from './api.ts';
import { logIn, type Me, rememberToken } from './session.ts';

/** Why sign-in failed, in words a person can act on. */
function signInError(error: unknown, withToken: boolean): string {
  if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
    return withToken ? 'The token was not accepted.' : 'The user name or password is wrong.';
  }
  if (error instanceof ApiError && error.status === 429)
    return 'Too many attempts: wait a minute and try again.';
  if (error instanceof ApiError && error.status === 0) return 'The server could not be reached.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The sign-in form: a user name and password (session login, with its CSRF token), or a pasted API
 * token, checked against `GET /api/auth/me/` before it is kept. `notice` says why the person is
 * here (an expired session).
 */
export function SignIn(props: {
  notice: string | null;
  onSignedIn: (credentials: Credentials, me: Me) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const withToken = token.trim() !== '';
    if (!withToken && (username.trim() === '' || password === '')) {
      setError('Enter a user name and password, or an API token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const credentials: Credentials = withToken
        ? { kind: 'token', token: token.trim() }
        : await logIn(username.trim(), password);
      const me = await createApi({ credentials }).get<Me>('/api/auth/me/');
      if (credentials.kind === 'token') rememberToken(credentials.token);
      props.onSignedIn(credentials, me);
    } catch (caught) {
      setError(signInError(caught, withToken));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in" data-testid="page-sign-in" data-state={busy ? 'loading' : 'ready'}>
      <h1>Sign in to Incident Insights</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>With your user name and password</legend>
          <label for="username">User name</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </fieldset>
        <fieldset>
          <legend>Or with an API token</legend>
          <label for="token">API token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="off"
            aria-describedby="token-help"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
          <p id="token-help" class="help">
            The first start of the server prints the admin's token. A token, when given, is used instead of
            the password.
          </p>
        </fieldset>
        {error ? (
          <p class="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="button primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
