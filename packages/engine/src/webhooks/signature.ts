import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature scheme of webhook deliveries (version `v1`): HMAC-SHA256, keyed by the
 * subscription's secret (the whole text, `whsec_` prefix included), over `"<timestamp>.<body>"`
 * where the timestamp is the `X-Insights-Timestamp` header (Unix seconds) and the body the exact
 * bytes received. The `X-Insights-Signature` header holds `v1=<hex>`, and during a secret rotation's
 * grace period a second `v1=<hex>` made with the previous secret, comma separated.
 */

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"` with `secret`. Pure. */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `X-Insights-Signature` value: one `v1=` entry for each secret, current first. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${signWebhookBody(s, timestamp, body)}`).join(',');
}

/** What a receiver checks a delivery with. */
export interface WebhookVerification {
  /** The subscription's secret, as shown when it was created or rotated. */
  readonly secret: string;
  /** The `X-Insights-Timestamp` header (Unix seconds), as text or a number. */
  readonly timestamp: string | number;
  /** The raw request body, exactly as received. */
  readonly body: string | Buffer;
  /** The `X-Insights-Signature` header. */
  readonly header: string;
  /** The receiver's current time; default the system clock. */
  readonly now?: Date;
  /** How far the timestamp may be from `now`, in seconds; default 300 (replay protection). */
  readonly toleranceSeconds?: number;
}

/**
 * Whether a delivery is authentic and fresh: some `v1=` entry of the header equals the HMAC of
 * `"<timestamp>.<body>"` under `secret` (compared in constant time), and the timestamp is within
 * `toleranceSeconds` of `now`. A stale or future timestamp fails even with a right signature, so a
 * captured delivery cannot be replayed later. Pure apart from the default clock.
 */
export function verifyWebhookSignature(input: WebhookVerification): boolean {
  const text = String(input.timestamp).trim();
  if (!/^\d{1,12}$/.test(text)) return false;
  const timestamp = Number(text);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(signWebhookBody(input.secret, timestamp, body), 'hex');
  let matched = false;
  for (const entry of input.header.split(',')) {
    const [scheme, value] = entry.trim().split('=', 2);
    if (scheme !== 'v1' || !value || !/^[0-9a-f]{64}$/i.test(value)) continue;
    if (timingSafeEqual(expected, Buffer.from(value, 'hex'))) matched = true;
  }
  return matched;
}
