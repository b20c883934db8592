import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { serve as serveNode } from '@hono/node-server';
import type { Engine, JobRunner, JobRunnerOptions } from '@incident-insights/engine';
import { createApp } from './app.ts';
import { createLogger } from './observability/logger.ts';
import type { AppOptions } from './options.ts';
import { newLocalCredential, removeRuntimeFile, writeRuntimeFile } from './runtime-file.ts';
import { startWebhookDrain, type WebhookDrainOptions } from './webhook-drain.ts';

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
  /**
   * The job runner of this server (`engine.jobs.startRunner(jobs)`): it runs the jobs queued
   * through the API and the command line and, when given, schedules. `{}` runs the engine's default
   * schedules (KPIs hourly, anomaly detection every 15 minutes, recurrence every 6 hours, model
   * training daily, incident scoring every 5 minutes, insights hourly, cleanup daily), as
   * `insights serve` does; `false` starts no runner (jobs stay queued). Default
   * `{ schedules: false }`: queued jobs run, and nothing is written unless asked for, so a program
   * that embeds the server decides what runs by itself.
   */
  readonly jobs?: JobRunnerOptions | false;
  /**
   * Whether to leave the runtime file beside the database file (`runtimeFilePath`): the address
   * and a local credential for the command line on this machine. Never for an in-memory database.
   * Default true.
   */
  readonly runtimeFile?: boolean;
  /**
   * The webhook drain beside the job runner: every second, when webhook deliveries are due, it
   * queues a `deliver_webhooks` job. Runs whenever the job runner does; `false` turns it off.
   */
  readonly webhookDrain?: WebhookDrainOptions | false;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /**
   * Removes the runtime file, stops accepting connections, waits for requests in flight (up to the
   * drain timeout) while the job runner stops (a running job is interrupted at its next safe point),
   * then closes the engine. Safe to call twice.
   */
  close(): Promise<void>;
  /** Resolves once the server has shut down (by `close()` or a signal). */
  readonly closed: Promise<void>;
}

/**
 * Runs the API of `engine` on Node's HTTP server with the engine's job runner (and the schedules
 * of `jobs`), and leaves a runtime file (mode 0600) beside a database file while it runs. On SIGTERM (or SIGINT)
 * it drains: the runtime file is removed, `/readyz` turns 503, no new connections are accepted,
 * requests in flight finish and the runner stops, then the engine is closed.
 *
 * @throws EngineError VALIDATION_ERROR for bad schedules (`jobs.schedules`), before it listens.
 */
export async function serve(engine: Engine, options: ServeOptions = {}): Promise<RunningServer> {
  let draining = false;
  const logger = options.app?.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const database = engine.path === ':memory:' || options.runtimeFile === false ? undefined : engine.path;
  const credential = database === undefined ? undefined : newLocalCredential();
  const app = createApp(engine, {
    ...options.app,
    logger,
    isDraining: () => draining,
    ...(credential ? { localCredential: credential } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  const runner: JobRunner | undefined =
    options.jobs === false ? undefined : engine.jobs.startRunner(options.jobs ?? { schedules: false });
  const drain =
    runner === undefined || options.webhookDrain === false
      ? undefined
      : startWebhookDrain(engine, {
          onError: (error) => {
            if (logger) logger.warn({ err: error }, 'webhook drain: looking for due deliveries failed');
          },
          ...options.webhookDrain,
        });
  let listening: { server: ReturnType<typeof serveNode>; address: AddressInfo };
  try {
    listening = await new Promise((resolve, reject) => {
      const s = serveNode({ fetch: app.fetch, port: options.port ?? 8000, hostname: host }, (info) =>
        resolve({ server: s, address: info }),
      );
      s.once('error', reject);
    });
  } catch (error) {
    await drain?.stop();
    await runner?.stop();
    throw error;
  }
  const { server, address } = listening;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}`;
  const removeRuntime = () => {
    if (database !== undefined && credential !== undefined) removeRuntimeFile(database, credential);
  };
  if (database !== undefined && credential !== undefined) {
    writeRuntimeFile(database, {
      url: localUrl(host, address.port),
      pid: process.pid,
      credential,
      database: resolvePath(database),
      started_at: new Date().toISOString(),
    });
    process.once('exit', removeRuntime);
  }
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
      // First, so that no command line sends work to a server that is going away.
      removeRuntime();
      process.off('exit', removeRuntime);
      const runnerStopped = drain === undefined ? runner?.stop() : drain.stop().then(() => runner?.stop());
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
      await runnerStopped;
      await engine.close();
      resolveClosed();
    })();
    return closing;
  };
  if (options.handleSignals ?? true) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { url, port: address.port, close, closed };
}

/** The address a client on this machine reaches a server listening on `host` at (any address: loopback). */
function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
