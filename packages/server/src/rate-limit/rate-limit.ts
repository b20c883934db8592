import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { MemoryRateLimitStore, type RateLimitStore, type WindowState } from './store.ts';

/** Rate-limit settings of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests a user may make in a minute. Default 100 (the spec). */
  readonly perMinute?: number;
  /** Requests a user may make in an hour. Default 1000 (the spec). */
  readonly perHour?: number;
  /** Counter store; default in-memory. */
  readonly store?: RateLimitStore;
  /** Clock in ms (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Per-caller rate limiting over two fixed windows (a minute and an hour). Every response carries
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds) of the
 * window nearest to running out; past either limit the answer is 429 with `Retry-After` (seconds).
 * The caller is the authenticated user, else the client address. The server's local credential
 * (the command line beside it, following its jobs) is not limited.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<AppEnv> {
  const store = options.store ?? new MemoryRateLimitStore();
  const clock = options.now ?? Date.now;
  const windows = [
    { limit: options.perMinute ?? 100, ms: 60_000 },
    { limit: options.perHour ?? 1000, ms: 3_600_000 },
  ];
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal?.method === 'local') return next();
    const key = principal ? `user:${principal.id}` : `ip:${clientAddress(c.env)}`;
    const now = clock();
    const states: { limit: number; state: WindowState }[] = [];
    for (const window of windows)
      states.push({ limit: window.limit, state: await store.hit(key, window.ms, now) });
    const tightest = states.reduce((a, b) => (b.limit - b.state.count < a.limit - a.state.count ? b : a));
    const headers = {
      'X-RateLimit-Limit': String(tightest.limit),
      'X-RateLimit-Remaining': String(Math.max(0, tightest.limit - tightest.state.count)),
      'X-RateLimit-Reset': String(Math.ceil(tightest.state.resetAt / 1000)),
    };
    const exceeded = states.filter((s) => s.state.count > s.limit);
    if (exceeded.length > 0) {
      const resetAt = Math.max(...exceeded.map((s) => s.state.resetAt));
      throw new ApiError(429, 'Request was throttled.', {
        details: { available_in_seconds: Math.ceil((resetAt - now) / 1000) },
        headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil((resetAt - now) / 1000))) },
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
