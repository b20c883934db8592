// A receiver of Incident Insights webhooks, with nothing but Node's own modules: copy it into your
// service. It checks every delivery before trusting it:
//   1. the signature: X-Insights-Signature holds `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
//      keyed by the subscription's secret (two `v1=` entries while a rotated-out secret is still
//      in its grace period; either may match), compared in constant time;
//   2. the timestamp: X-Insights-Timestamp (Unix seconds) within 5 minutes of now, so a captured
//      request cannot be replayed later;
//   3. the event id: X-Insights-Event-Id is the idempotency key; a delivery of an event already
//      handled (a retry whose first 2xx was lost, or a replay inside the 5 minutes) is answered 200
//      and not handled again.
// Run it: WEBHOOK_SECRET=whsec_... PORT=9000 node examples/webhook-receiver.mjs
// It prints `listening on http://127.0.0.1:<port>`, then one JSON line per event handled.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** How far the timestamp may be from this machine's clock, in seconds. */
const defaultToleranceSeconds = 300;

/**
 * Checks one delivery. `body` is the raw request body (a Buffer or the exact text received: parse
 * the JSON only after this check), `headers` Node's lower-cased request headers, `now` milliseconds.
 * Returns `{ ok: true, event }` or `{ ok: false, reason }`.
 */
export function verifyWebhook({
  secret,
  headers,
  body,
  now = Date.now(),
  toleranceSeconds = defaultToleranceSeconds,
}) {
  const timestamp = String(headers['x-insights-timestamp'] ?? '');
  const signatures = String(headers['x-insights-signature'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('v1='))
    .map((entry) => entry.slice(3));
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Insights-Timestamp' };
  if (signatures.length === 0) return { ok: false, reason: 'missing X-Insights-Signature' };
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp outside the tolerance (a replay, or a clock far off)' };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const matches = signatures.some((hex) => {
    const given = Buffer.from(hex, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'signature does not match' };
  const event = JSON.parse(Buffer.from(body).toString('utf8'));
  if (event.id !== headers['x-insights-event-id'])
    return { ok: false, reason: 'event id differs from its header' };
  return { ok: true, event };
}

/**
 * An HTTP server that verifies each delivery and calls `onEvent(event, headers)` once per event id.
 * `handled` remembers the ids handled (keep them in your database, for longer than the tolerance).
 */
export function createReceiver({ secret, onEvent, toleranceSeconds, handled = new Set() }) {
  return createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const answer = (status, value) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const body = Buffer.concat(chunks);
      const check = verifyWebhook({ secret, headers: request.headers, body, toleranceSeconds });
      if (!check.ok) return answer(400, { error: check.reason });
      if (handled.has(check.event.id)) return answer(200, { received: true, duplicate: true });
      handled.add(check.event.id);
      try {
        await onEvent(check.event, request.headers);
      } catch (error) {
        // Not handled after all: answer 500 so that the sender tries again later.
        handled.delete(check.event.id);
        return answer(500, { error: String(error) });
      }
      answer(200, { received: true });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    process.stderr.write(
      'webhook-receiver: set WEBHOOK_SECRET to the secret shown when the webhook was created\n',
    );
    process.exit(2);
  }
  const server = createReceiver({
    secret,
    onEvent: (event, headers) => {
      process.stdout.write(`${JSON.stringify({ delivery_id: headers['x-insights-delivery-id'], event })}\n`);
    },
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
