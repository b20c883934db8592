import { type Engine, type EngineOptions, openEngine, type Role } from '@incident-insights/engine';
import { type AppOptions, type RunningServer, type ServeOptions, serve } from '@incident-insights/server';

/** A server on an ephemeral port over an in-memory engine, with one user and token per role. */
export interface TestServer {
  readonly url: string;
  readonly engine: Engine;
  readonly server: RunningServer;
  /** API token keys by role (users `admin`, `analyst`, `viewer`; password `password-<role>`). */
  readonly tokens: Readonly<Record<Role, string>>;
  /** `fetch` against the server; `as` sends that role's token (`Authorization: Token <key>`). */
  fetch(path: string, init?: RequestInit & { as?: Role; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the real HTTP server on 127.0.0.1 with a free port. Rate limiting is off and logging
 * silent unless `app` says otherwise; `jobs` is the server's job runner (default: `serve`'s, which
 * runs queued jobs and no schedule).
 */
export async function startServer(
  options: {
    app?: AppOptions;
    engine?: EngineOptions;
    jobs?: ServeOptions['jobs'];
    populate?: (engine: Engine) => Promise<void>;
  } = {},
): Promise<TestServer> {
  const engine = await openEngine({ path: ':memory:', ...options.engine });
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'analyst', 'viewer'] as const) {
    await engine.auth.createUser({ username: role, password: `password-${role}`, role });
    tokens[role] = (await engine.auth.createToken({ user: role, name: 'test' })).key;
  }
  await options.populate?.(engine);
  const server = await serve(engine, {
    port: 0,
    handleSignals: false,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    app: { rateLimit: false, logger: false, ...options.app },
  });
  return {
    url: server.url,
    engine,
    server,
    tokens,
    fetch: (path, init = {}) => {
      const { as, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('Authorization', `Token ${tokens[as]}`);
      if (json !== undefined) headers.set('Content-Type', 'application/json');
      return fetch(`${server.url}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    close: () => server.close(),
  };
}
