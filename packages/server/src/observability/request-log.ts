import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../env.ts';

const acceptableId = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (a sane incoming `X-Request-Id`, else a new UUID), echoes it in the
 * response's `X-Request-Id`, puts a child logger on the context and logs one line per request
 * (method, path, status, duration in ms, user).
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('X-Request-Id');
    const requestId = incoming && acceptableId.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', log);
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    const status = c.res.status;
    const entry = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      user: c.get('principal')?.username,
    };
    if (status >= 500) log.error(entry, 'request');
    else log.info(entry, 'request');
  };
}
