import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { hostKey } from './address-policy.ts';
import { guardedLookup, hostProblem, parseWebhookUrl, type ResolveAll } from './url-check.ts';

/** How long a response excerpt is kept, in bytes. */
const responseExcerptBytes = 1024;

/** What one POST came to. */
export interface SendOutcome {
  readonly ok: boolean;
  readonly responseCode: number | null;
  readonly durationMs: number;
  readonly excerpt: string | null;
  readonly error: string | null;
}

/** What a POST needs besides the URL and the body. */
export interface SendOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly allowed: ReadonlySet<string>;
  readonly resolveAll: ResolveAll;
  /**
   * Keep-alive agents to reuse connections with (each socket was opened to an address the lookup
   * checked); without them every attempt opens its own connection.
   */
  readonly agents?: { readonly http: Agent; readonly https: HttpsAgent } | undefined;
  /** The monotonic clock durations are measured with. */
  readonly elapsedMs?: () => number;
}

const monotonicMs = (): number => performance.now();

/**
 * POSTs `body` to `url` once. The host is checked again (an IP literal as it is; a name through a
 * `lookup` that resolves it and refuses blocked addresses, so the socket connects only to the
 * address that was checked). Redirects are never followed: a 3xx is a failure that records its
 * Location. At most `maxResponseBytes` of the response are read (then the connection is dropped);
 * the first 1,024 bytes are kept. Never throws: every failure is an outcome.
 */
export async function sendWebhook(url: string, body: string, options: SendOptions): Promise<SendOutcome> {
  const elapsed = options.elapsedMs ?? monotonicMs;
  const started = elapsed();
  const fail = (error: string, responseCode: number | null = null, excerpt: string | null = null) => ({
    ok: false,
    responseCode,
    durationMs: Math.round(elapsed() - started),
    excerpt,
    error,
  });
  let target: URL;
  try {
    target = parseWebhookUrl(url);
  } catch (error) {
    return fail((error as Error).message);
  }
  const host = hostKey(target.hostname);
  if (isIP(host)) {
    const problem = await hostProblem(host, options.allowed, options.resolveAll);
    if (problem) return fail(`address refused: ${problem}`);
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = send(target, {
      method: 'POST',
      headers: { ...options.headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(options.allowed, options.resolveAll) as never,
      agent: (target.protocol === 'https:' ? options.agents?.https : options.agents?.http) ?? false,
    });
    const timer = setTimeout(() => {
      finish(fail(`timeout after ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ? `${error.code}: ` : '';
      finish(fail(error.code === 'EADDRREFUSED' ? error.message : `${code}${error.message}`));
    });
    request.on('response', (response: IncomingMessage) => {
      readCapped(response, options.maxResponseBytes).then(({ bytes, truncated }) => {
        const code = response.statusCode ?? 0;
        const excerpt = bytes.subarray(0, responseExcerptBytes).toString('utf8');
        if (truncated) request.destroy();
        if (code >= 200 && code < 300) {
          finish({
            ok: true,
            responseCode: code,
            durationMs: Math.round(elapsed() - started),
            excerpt,
            error: null,
          });
        } else if (code >= 300 && code < 400) {
          const location = response.headers.location ?? '(none)';
          finish(fail(`redirect ${code} to ${location} not followed`, code, excerpt));
        } else {
          finish(fail(`HTTP ${code}`, code, excerpt));
        }
      });
    });
    request.end(body);
  });
}

/** Reads at most `cap` bytes of a response; stops reading past it. */
function readCapped(response: IncomingMessage, cap: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const end = (truncated: boolean): void => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks).subarray(0, cap), truncated });
    };
    response.on('data', (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= cap) {
        end(size > cap);
        response.destroy();
      }
    });
    response.on('end', () => end(false));
    response.on('error', () => end(true));
    response.on('close', () => end(false));
  });
}
