import type { AddressInfo } from 'node:net';
import { serve as serveNode } from '@hono/node-server';
import type { Engine } from '@incident-insights/engine';
import { createApp } from './app.ts';
import { createLogger } from './observability/logger.ts';
import type { AppOptions } from './options.ts';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Options of the app (rate limits, CORS, OIDC, logger, ...). */
  readonly app?: AppOptions;
  /** Level of the default pino logger (`silent`, `error`, `warn`, `info`, `debug`) when `app.logger` is not given. */
  readonly logLevel?: string;
  /** Drain and close on SIGTERM and SIGINT. Default true. */
  readonly handleSignals?: boolean;
  /** Longest wait (ms) for requests in flight when shutting down before connections are cut. Default 10 s. */
  readonly drainTimeoutMs?: number;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections, waits for requests in flight (up to the drain timeout), then
   * closes the engine. Safe to call twice.
   */
  close(): Promise<void>;
  /** Resolves once the server has shut down (by `close()` or a signal). */
  readonly closed: Promise<void>;
}

/**
 * Runs the API of `engine` on Node's HTTP server. On SIGTERM (or SIGINT) it drains: `/readyz` turns
 * 503, no new connections are accepted, requests in flight finish, then the engine is closed.
 */
export async function serve(engine: Engine, options: ServeOptions = {}): Promise<RunningServer> {
  let draining = false;
  const logger = options.app?.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const app = createApp(engine, { ...options.app, logger, isDraining: () => draining });
  const host = options.host ?? '127.0.0.1';
  const { server, address } = await new Promise<{
    server: ReturnType<typeof serveNode>;
    address: AddressInfo;
  }>((resolve, reject) => {
    const s = serveNode({ fetch: app.fetch, port: options.port ?? 8000, hostname: host }, (info) =>
      resolve({ server: s, address: info }),
    );
    s.once('error', reject);
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let closing: Promise<void> | undefined;
  const onSignal = () => void close();
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const http = server as import('node:http').Server;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive sockets that fall idle while draining are closed too, not left to time out.
      http.closeIdleConnections();
      const sweeper = setInterval(() => http.closeIdleConnections(), 50);
      const timeout = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, options.drainTimeoutMs ?? 10_000);
        timer.unref();
      });
      await Promise.race([stopped, timeout]);
      clearInterval(sweeper);
      await engine.close();
      resolveClosed();
    })();
    return closing;
  };
  if (options.handleSignals ?? true) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${address.port}`, port: address.port, close, closed };
}
