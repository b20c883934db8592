import type { Logger } from 'pino';
import type { OidcIssuer } from './auth/oidc.ts';
import type { RateLimitOptions } from './rate-limit/rate-limit.ts';

/** Options of {@link createApp}. Every field has a default. */
export interface AppOptions {
  /** Per-user rate limits (default 100/min and 1000/h), or `false` to switch limiting off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Origins allowed by CORS (`'*'` for any). Default: none (CORS off). */
  readonly corsOrigins?: readonly string[] | '*';
  /** Trusted OpenID Connect issuers for `Bearer <JWT>`. Default: none. */
  readonly oidc?: readonly OidcIssuer[];
  /** Largest request body in bytes. Default 1 MiB. */
  readonly bodyLimitBytes?: number;
  /** Largest body of an upload route (paths ending in `/bulk/`). Default 256 MiB. */
  readonly uploadLimitBytes?: number;
  /**
   * A pino logger for request and error logs, or `false` for none. Default: {@link createLogger} at
   * `info` to stdout (control characters in the data escaped). A logger of your own should use the
   * same `hooks.streamWrite: escapeLogLine` to keep that guarantee.
   */
  readonly logger?: Logger | false;
  /** Session lifetime in seconds. Default 14 days. */
  readonly sessionTtlSeconds?: number;
  /** Mark cookies `Secure` (serve over HTTPS). Default false. */
  readonly secureCookies?: boolean;
  /** Whether `/metrics` may be read without authentication. Default false. */
  readonly publicMetrics?: boolean;
  /**
   * A secret that authenticates as the engine's system actor (`Authorization: Token <secret>`),
   * compared in constant time and never stored. Set by `serve`, which writes it to the runtime
   * file beside the database for the command line on the same machine. Default: none.
   */
  readonly localCredential?: string;
  /**
   * Folder of the built web page served at `/` (`index.html` and `assets/`). Default:
   * `packages/web/dist/app`; when it holds no `index.html`, `/` says how to build it.
   */
  readonly webRoot?: string;
  /** Reports shutdown in progress: `/readyz` then answers 503. Set by `serve`. */
  readonly isDraining?: () => boolean;
}
