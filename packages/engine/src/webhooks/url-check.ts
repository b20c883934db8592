import { type LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { EngineError } from '../errors.ts';
import { blockedAddressReason, hostKey } from './address-policy.ts';

/** Resolves a host name to every address it has (`dns.lookup` with `all: true`). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

/** `dns.lookup(host, { all: true })`: what the system resolver (hosts file included) answers. */
export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => {
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** The allow-list as a set of host keys (lower case, no IPv6 brackets). */
export function allowSet(hosts: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((hosts ?? []).map((h) => hostKey(h.trim())).filter(Boolean));
}

/** Why the URL's text is unusable (scheme, credentials, host), or null. Pure. */
function urlShapeProblem(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`;
  }
  if (url.username || url.password) return 'the URL must not carry credentials (user:password@)';
  if (!url.hostname) return 'the URL has no host';
  return null;
}

function refused(url: string, reason: string): EngineError {
  return new EngineError('VALIDATION_ERROR', `url ${reason}`, { field: 'url', value: url, reason });
}

/**
 * Parses a webhook URL and checks its shape.
 *
 * @throws EngineError VALIDATION_ERROR on field `url`, saying why.
 */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(text, 'is not a valid absolute URL');
  }
  const problem = urlShapeProblem(url);
  if (problem) throw refused(text, problem);
  return url;
}

/**
 * Why the host may not be reached: an IP literal is classified as it is, a name is resolved to all
 * its addresses and refused when any of them is blocked. `null` when the host is allowed or every
 * address is public. A name that does not resolve is refused too.
 */
export async function hostProblem(
  hostname: string,
  allowed: ReadonlySet<string>,
  resolveAll: ResolveAll,
): Promise<string | null> {
  const host = hostKey(hostname);
  if (allowed.has(host)) return null;
  if (isIP(host)) {
    const reason = blockedAddressReason(host);
    return reason ? `host ${host} is a ${reason}` : null;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (error) {
    return `host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (addresses.length === 0) return `host ${host} does not resolve`;
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) return `host ${host} resolves to ${address}, a ${reason}`;
  }
  return null;
}

/**
 * The full check made when a subscription is created or its URL changed: shape, then every
 * resolved address (unless the host is allowed).
 *
 * @throws EngineError VALIDATION_ERROR on field `url`, saying why.
 */
export async function checkWebhookUrl(
  text: string,
  allowed: ReadonlySet<string>,
  resolveAll: ResolveAll,
): Promise<URL> {
  const url = parseWebhookUrl(text);
  const problem = await hostProblem(url.hostname, allowed, resolveAll);
  if (problem) throw refused(text, `is refused: ${problem}`);
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that resolves the name once and hands the socket only addresses
 * it has checked, so a DNS answer that changes between the check and the connection (rebinding)
 * cannot reach an internal host. An allowed host is resolved without the check.
 */
export function guardedLookup(allowed: ReadonlySet<string>, resolveAll: ResolveAll) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const host = hostKey(hostname);
    resolveAll(host).then(
      (addresses) => {
        if (!allowed.has(host)) {
          for (const { address } of addresses) {
            const reason = blockedAddressReason(address);
            if (reason) {
              const error: NodeJS.ErrnoException = new Error(
                `address refused: host ${host} resolves to ${address}, a ${reason}`,
              );
              error.code = 'EADDRREFUSED';
              callback(error, '');
              return;
            }
          }
        }
        const first = addresses[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`host ${host} does not resolve`);
          error.code = 'ENOTFOUND';
          callback(error, '');
        } else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
